using System.Security.Cryptography;
using MediaServer.Rtc.Srtp;
using MediaServer.Rtc.Tests.Stun;

namespace MediaServer.Rtc.Tests.Srtp;

/// <summary>RFC 3711 appendix B: AES-CM keystream (B.2) and key derivation (B.3).</summary>
public sealed class Rfc3711AppendixBTests
{
    [Fact]
    public void B2_aes_cm_keystream()
    {
        var lines = File.ReadAllLines(Path.Combine(TestVectorFiles.Root, "rfc3711/b2-aes-cm-keystream.txt"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ')).ToList();
        var key = Convert.FromHexString(lines[0][1]);
        var iv = Convert.FromHexString(lines[1][1]);
        using var aes = Aes.Create();
        aes.Key = key;
        var keystream = new byte[65536 * 16];
        AesCounterMode.Apply(aes, iv, keystream, new byte[keystream.Length]);
        foreach (var line in lines.Skip(2))
        {
            int block = Convert.ToInt32(line[0], 16);
            Assert.Equal(line[1], Convert.ToHexString(keystream, block * 16, 16));
        }
    }

    [Fact]
    public void B3_key_derivation()
    {
        var v = TestVectorFields.Read("rfc3711/b3-key-derivation.txt");
        var masterKey = Convert.FromHexString(v["master-key"]);
        var masterSalt = Convert.FromHexString(v["master-salt"]);
        var cipherKey = new byte[16];
        var salt = new byte[14];
        var auth = new byte[20];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, cipherKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, salt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, auth);
        Assert.Equal(v["cipher-key"], Convert.ToHexString(cipherKey));
        Assert.Equal(v["cipher-salt"], Convert.ToHexString(salt));
        Assert.Equal(v["auth-key"], Convert.ToHexString(auth));
    }
}
