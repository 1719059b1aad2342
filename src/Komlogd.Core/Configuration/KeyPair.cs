using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Komlogd.Core.Configuration;

/// <summary>The agent's RSA key pair: key.priv (PKCS#8 PEM, 0600) and key.pub (OpenSSH, 0644).</summary>
public static class KeyPair
{
    public const int KeySize = 4096;
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Creates whichever of the two files is missing. An existing private key is never overwritten; a
    /// missing public key is derived from it.
    /// </summary>
    public static void Ensure(string privateFile, string publicFile)
    {
        if (File.Exists(privateFile) && File.Exists(publicFile))
        {
            // The common case, every start and every short command: no RSA object. Creating one loads
            // System.Security.Cryptography and OpenSSL (libcrypto, libssl): 3.3 MiB of the running agent's
            // PSS (docs/benchmarks.md, "Pings, keys and floors").
            return;
        }
        CreateMissing(privateFile, publicFile);
    }

    /// <summary>
    /// Not inlined, and no RSA in <see cref="Ensure"/>'s own body: compiling a method resolves the types it
    /// names, which loads System.Security.Cryptography even when the code that uses them never runs.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CreateMissing(string privateFile, string publicFile)
    {
        using var rsa = RSA.Create();
        if (File.Exists(privateFile))
        {
            try
            {
                rsa.ImportFromPem(File.ReadAllText(privateFile));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new KomlogdException($"{privateFile}: not a PEM RSA private key ({e.Message})", ExitCodes.Usage);
            }
        }
        else
        {
            rsa.KeySize = KeySize;
            Directory.CreateDirectory(Path.GetDirectoryName(privateFile)!);
            WriteNew(privateFile, rsa.ExportPkcs8PrivateKeyPem() + "\n", PrivateMode);
        }
        WriteNew(publicFile, ToOpenSsh(rsa) + "\n", PublicMode);
    }

    /// <summary>The OpenSSH public key line: <c>ssh-rsa BASE64</c> (RFC 4253 §6.6).</summary>
    public static string ToOpenSsh(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes("ssh-rsa"));
        WriteString(blob, MpInt(p.Exponent!));
        WriteString(blob, MpInt(p.Modulus!));
        return "ssh-rsa " + Convert.ToBase64String(blob.ToArray());
    }

    private static byte[] MpInt(byte[] unsignedBigEndian)
    {
        var start = 0;
        while (start < unsignedBigEndian.Length - 1 && unsignedBigEndian[start] == 0)
        {
            start++;
        }
        var trimmed = unsignedBigEndian[start..];
        // A set high bit would read as negative: mpint prefixes a zero byte.
        return (trimmed[0] & 0x80) != 0 ? [0, .. trimmed] : trimmed;
    }

    private static void WriteString(Stream s, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        s.Write(length);
        s.Write(data);
    }

    /// <summary>Creates the file with its mode from the start (no window where a private key is world-readable).</summary>
    private static void WriteNew(string path, string content, UnixFileMode mode)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        stream.Write(Encoding.ASCII.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }
}
