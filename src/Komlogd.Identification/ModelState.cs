namespace Komlogd.Identification;

/// <summary>
/// Everything a <see cref="DatasourceModel"/> knows, as plain data: what the store persists per datasource
/// (<see cref="DatasourceModel.ToJson"/> / <see cref="DatasourceModel.FromJson"/>). Immutable; a model hands out
/// a new state after every change, so a state can be shared between threads.
/// </summary>
/// <example><code>
/// {"version":1,"names":[{"name":"root_used","positives":[{ ...context... }],"negatives":[]}],
///  "automatic":{"names":[{"name":"dev_vda.Used","table":["Filesystem","1K-blocks",...],"row":"/dev/vda","column":"Used"}],
///               "forgotten":[],"tables":[{"table":[...],"labels":["/dev/vda","devtmpfs"],"volatile":false}]}}
/// </code></example>
public sealed record ModelState
{
    /// <summary>The state format this library writes; <see cref="DatasourceModel.FromJson"/> refuses others.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The format of this state.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The values users named, in the order they were first named.</summary>
    public IReadOnlyList<NamedValue> Names { get; init; } = [];

    /// <summary>What automatic detection created and remembers.</summary>
    public AutomaticState Automatic { get; init; } = new();
}
