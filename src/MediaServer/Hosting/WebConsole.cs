using Microsoft.Extensions.FileProviders;

namespace MediaServer.Hosting;

/// <summary>Serves the browser console from <c>web/</c> (<c>MediaServer:Web:Root</c>) at <c>/</c>.</summary>
public static class WebConsole
{
    public static void Map(WebApplication app, IConfiguration configuration)
    {
        string? root = configuration["MediaServer:Web:Root"];
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
        {
            return;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }
}
