using Komlogd.Sdk;

namespace Kpack.Linux.Tests;

/// <summary>The context a package gets at load, with the test's log.</summary>
internal sealed class TestContext(IKomlogdLog log) : IKomlogdContext
{
    public string Venv => "test";

    public string Package => "Kpack.Linux";

    public IKomlogdLog Log => log;

    public CancellationToken Stopping => CancellationToken.None;
}
