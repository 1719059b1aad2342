using System.Collections.Concurrent;

namespace Komlogd.Supervision.Tests;

/// <summary>
/// Publishes each test venv once per test run (publishing is the slow part) and shares it across the
/// real-child tests. Children are started per test; the venv files are only read.
/// </summary>
public sealed class VenvFixture : IDisposable
{
    private readonly TempDir _dir = new("venvs");
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _venvs = new();

    public Task<string> GetAsync(string name, params TestVenv.Package[] packages) =>
        _venvs.GetOrAdd(name, n => new Lazy<Task<string>>(() => TestVenv.PublishAsync(Path.Combine(_dir.Path, n), packages))).Value;

    public Task<string> SingleAsync(string package) => GetAsync(package, new TestVenv.Package(package));

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class VenvCollection : ICollectionFixture<VenvFixture>
{
    public const string Name = "published venvs";
}
