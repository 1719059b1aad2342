namespace Komlogd.Sdk;

/// <summary>What the agent offers a loaded package.</summary>
/// <example>
/// <code>
/// public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
/// {
///     context.Log.Info($"{context.Package} loaded in venv {context.Venv}");
///     _ = PollAsync(context.Stopping);
///     return Task.CompletedTask;
/// }
/// </code>
/// </example>
public interface IKomlogdContext
{
    /// <summary>The venv this package runs in.</summary>
    string Venv { get; }

    /// <summary>The package's assembly name.</summary>
    string Package { get; }

    /// <summary>The package's log: lines reach the agent's log under the venv's name.</summary>
    IKomlogdLog Log { get; }

    /// <summary>Cancelled when the venv is stopping.</summary>
    CancellationToken Stopping { get; }
}
