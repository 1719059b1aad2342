namespace Komlogd.TestKit;

/// <summary>A fresh directory under the system temp dir, removed on dispose. Tests never share one.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string? label = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "komlogd-tests", $"{label ?? "t"}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public override string ToString() => Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child that is still exiting may hold a file; the OS temp cleaner gets the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
