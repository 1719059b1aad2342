namespace Komlogd.Sdk;

/// <summary>Size limits shared by the agent and packages.</summary>
/// <example>
/// <code>
/// if (Encoding.UTF8.GetByteCount(text) > Limits.MaxDatasourceBytes) text = Summarise(text);
/// </code>
/// </example>
public static class Limits
{
    /// <summary>The largest text sample (datasource content), in bytes of UTF-8: 128 KiB.</summary>
    public const int MaxDatasourceBytes = 128 * 1024;
}
