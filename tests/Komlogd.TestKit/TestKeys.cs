using Komlogd.Core.Configuration;

namespace Komlogd.TestKit;

/// <summary>
/// One RSA-4096 pair per test run, copied into each config dir that does not test key generation itself:
/// generating one costs about a second.
/// </summary>
public static class TestKeys
{
    private static readonly Lazy<string> Cache = new(() =>
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "komlogd-tests", $"keys-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        KeyPair.Ensure(System.IO.Path.Combine(dir, "key.priv"), System.IO.Path.Combine(dir, "key.pub"));
        return dir;
    });

    public static void CopyTo(string configDir)
    {
        Directory.CreateDirectory(configDir);
        foreach (var name in new[] { "key.priv", "key.pub" })
        {
            File.Copy(System.IO.Path.Combine(Cache.Value, name), System.IO.Path.Combine(configDir, name), overwrite: false);
        }
    }
}
