namespace Komlogd.Identification;

/// <summary>
/// A request a user can get wrong (an index out of range, a bad name, a stored state of another version):
/// its message is one line that says what and why, for the CLI to print as it is.
/// </summary>
public sealed class IdentificationException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public IdentificationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the cause.</summary>
    public IdentificationException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>For serializers; prefer the constructor with a message.</summary>
    public IdentificationException() : base("identification failed")
    {
    }
}
