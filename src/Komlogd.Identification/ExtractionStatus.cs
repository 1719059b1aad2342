namespace Komlogd.Identification;

/// <summary>What an extraction found for a name in one sample.</summary>
public enum ExtractionStatus
{
    /// <summary>Exactly one number is that value: it is written.</summary>
    Found,

    /// <summary>No number is that value (the row or column is gone, or nothing matches well enough): nothing is written.</summary>
    Missing,

    /// <summary>Several numbers match equally well (twin rows): nothing is written, rather than a guess.</summary>
    Ambiguous,
}
