using Komlogd.Sdk.Hosting;

namespace Komlogd.Sdk;

/// <summary>
/// A transfer method bound with <see cref="TransferMethods.Bind(Delegate, Schedule, IReadOnlyDictionary{string, object}, IReadOnlyList{string})"/>. Disposing it unbinds the method, as
/// <see cref="TransferMethods.Unbind"/> does; both may be called more than once.
/// </summary>
/// <example>
/// <code>
/// var handle = TransferMethods.Bind(Watch, new OnUpdateSchedule("host.load.1m"));
/// // ...
/// handle.Dispose(); // or TransferMethods.Unbind(handle)
/// </code>
/// </example>
public sealed class TransferMethodHandle : IDisposable
{
    internal TransferMethodHandle(TransferMethodInfo info, IKomlogdRuntime? runtime)
    {
        Info = info;
        Runtime = runtime;
    }

    /// <summary>The bound method.</summary>
    public TransferMethodInfo Info { get; }

    /// <summary>True until it is unbound.</summary>
    public bool IsBound => TransferMethods.Contains(Info);

    // The runtime told of the bind is the one told of the unbind, whatever the caller's flow has then.
    internal IKomlogdRuntime? Runtime { get; }

    /// <summary>Unbinds the method.</summary>
    public void Dispose() => TransferMethods.Unbind(this);
}
