using Komlogd.Core.Configuration;

namespace Komlogd.Core.Export;

/// <summary>One valid <c>- export:</c> block (docs/export.md). Paths are full paths, resolved against the config dir.</summary>
public sealed record ExportBlock
{
    public const int DefaultBatch = 2000;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The configuration file (for error lines).</summary>
    public required string File { get; init; }

    /// <summary>1-based position of the block in the configuration list.</summary>
    public required int Block { get; init; }

    /// <summary>YAML line of the block.</summary>
    public required int Line { get; init; }

    public required ExportKind Kind { get; init; }

    /// <summary>
    /// The remote-write URL as written, or the /metrics URL a listen block serves: names the block in status
    /// and logs, and keys a remote-write block's cursor in the store (a new URL starts a new cursor).
    /// </summary>
    public required string Target { get; init; }

    /// <summary>Listen blocks: the host (an IP address, <c>localhost</c> or <c>*</c>) and port.</summary>
    public string ListenHost { get; init; } = "";

    public int ListenPort { get; init; }

    public string? BearerTokenFile { get; init; }
    public string? BasicAuthUsername { get; init; }
    public string? BasicAuthPasswordFile { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    /// <summary>Uri globs; empty: every uri.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Uri globs; a uri matched here is not exported even when included.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Extra labels on every series, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>The <c>instance</c> label of remote-write series: the host name unless set.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>At most this many samples per request.</summary>
    public int Batch { get; init; } = DefaultBatch;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary><c>from: oldest</c>: a target without a cursor starts with the store's first sample, not its next.</summary>
    public bool FromOldest { get; init; }

    /// <summary>Every setting but the block's place in the file: two blocks with the same are the same to a reload.</summary>
    public string Settings => string.Join('\n',
        Kind, Target, ListenHost, ListenPort, BearerTokenFile, BasicAuthUsername, BasicAuthPasswordFile, CaFile, CertFile, KeyFile,
        string.Join(',', Include), string.Join(',', Exclude), string.Join(',', Labels.Select(l => $"{l.Key}={l.Value}")),
        Instance, Batch, Timeout, FromOldest);

    /// <summary>A mistake found when the block starts (a file it names cannot be read, its port is taken), as a config line.</summary>
    public string Error(string rule) => new ConfigError(File, Line, Block, "export", rule).ToString();
}
