namespace Kpack.Linux;

/// <summary>Where figures come from on the local machine.</summary>
internal enum SourceMode
{
    /// <summary>sar when it is in PATH and works, else /proc.</summary>
    Auto,

    /// <summary>sar only.</summary>
    Sar,

    /// <summary>/proc only.</summary>
    Proc,
}
