namespace Komlogd.Sdk;

/// <summary>
/// A package's entry point, named by <see cref="KomlogdPackageAttribute"/>. If it also implements
/// <see cref="IAsyncDisposable"/>, the host disposes it when the venv stops.
/// </summary>
public interface IKomlogdPackage
{
    /// <summary>
    /// Called once when the venv's host starts. Start work here (bind transfer methods, start timers) and
    /// return; throwing makes the venv fail its start. Runs off the RPC loop, so a slow load delays only
    /// this package's readiness.
    /// </summary>
    /// <param name="context">What the agent offers this package.</param>
    /// <param name="cancellationToken">Cancelled when the venv stops.</param>
    Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken);
}
