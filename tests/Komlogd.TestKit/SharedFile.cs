namespace Komlogd.TestKit;

/// <summary>Reads files another process is writing (the agent's log).</summary>
public static class SharedFile
{
    /// <summary>The whole file, opened without locking out its writer; "" when it does not exist yet.</summary>
    public static string Read(string file)
    {
        if (!File.Exists(file))
        {
            return "";
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
