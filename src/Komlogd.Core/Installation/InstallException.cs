namespace Komlogd.Core.Installation;

/// <summary>A venv cannot be installed for a reason the user can fix; the message is one line.</summary>
public sealed class InstallException(string message, Exception? inner = null)
    : KomlogdException(message, ExitCodes.Failure, inner);
