namespace Komlogd.Sdk;

/// <summary>Size limits shared by the agent and packages.</summary>
public static class Limits
{
    /// <summary>The largest text sample (datasource content), in bytes of UTF-8: 128 KiB.</summary>
    public const int MaxDatasourceBytes = 128 * 1024;
}
