namespace Komlogd.Core.Export;

/// <param name="Outcome">What to do next.</param>
/// <param name="Error">For anything but Delivered: one line saying what happened (HTTP status and the body's first line, or the exception).</param>
public readonly record struct SendResult(SendOutcome Outcome, string? Error = null)
{
    public static readonly SendResult Delivered = new(SendOutcome.Delivered);
}
