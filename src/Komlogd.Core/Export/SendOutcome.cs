namespace Komlogd.Core.Export;

/// <summary>What became of one remote-write request (docs/export.md, "Failure modes").</summary>
public enum SendOutcome
{
    /// <summary>2xx: the back end has the samples; the cursor may move past them.</summary>
    Delivered,

    /// <summary>5xx, 429, a timeout, a refused or broken connection, an unreadable credential: send the same again later.</summary>
    Retry,

    /// <summary>The back end refused samples as out of order, too old or a changed value at a stored time; it stored none of the request.</summary>
    Refused,

    /// <summary>Any other 4xx: the request itself is wrong for this back end; sending it again cannot help.</summary>
    Dropped,
}
