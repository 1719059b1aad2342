namespace Komlogd.Core.Store;

/// <summary>
/// The store could not write (disk full, database busy past its timeout, a damaged file): nothing of the
/// batch was stored, and a later try may succeed. Not a rule the samples broke (that is a
/// <see cref="KomlogdException"/> of its own).
/// </summary>
public sealed class StoreFailedException(string message, Exception inner) : KomlogdException(message, ExitCodes.Failure, inner);
