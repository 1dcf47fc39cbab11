namespace MediaServer.Rtc;

/// <summary>Marker type used by the architecture test to find this assembly.</summary>
public static class AssemblyMarker
{
}
