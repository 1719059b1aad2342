using Komlogd.Core.Store;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;

namespace Komlogd.Core.DataPath;

/// <summary>A host's <see cref="SampleBatch"/> (docs/protocol.md, <c>samples.insert</c>) as rows for the store.</summary>
public static class SampleBatchRows
{
    /// <summary>
    /// Checks the batch's shape (columns of one length, indexes in range, known types) and returns its rows.
    /// The rows' own rules (uri, value, one type per uri) are the store's to check.
    /// </summary>
    /// <exception cref="RpcErrorException">
    /// The batch is malformed (code <see cref="ErrorCodes.Refused"/>, as a batch the store refuses): nothing of it is stored.
    /// </exception>
    public static NewSample[] Read(SampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // System.Text.Json leaves a missing column null whatever the nullable annotations say.
        var uris = batch.Uris ?? throw Malformed("no uris");
        var types = batch.Types ?? throw Malformed("no types");
        var index = batch.UriIndex ?? throw Malformed("no uriIndex");
        var times = batch.T ?? throw Malformed("no t");
        var values = batch.Values ?? throw Malformed("no values");
        if (types.Length != uris.Length)
        {
            throw Malformed($"{uris.Length} uris but {types.Length} types");
        }
        if (times.Length != index.Length || values.Length != index.Length)
        {
            throw Malformed($"uriIndex, t and values have {index.Length}, {times.Length} and {values.Length} entries");
        }
        var metricTypes = new SampleType[uris.Length];
        for (var m = 0; m < uris.Length; m++)
        {
            if (uris[m] is null)
            {
                throw Malformed($"uri {m} is null");
            }
            if (!SampleTypeNames.TryParse(types[m], out metricTypes[m]))
            {
                throw Malformed($"type '{types[m]}' of uri '{uris[m]}' is neither datasource nor datapoint");
            }
        }
        var rows = new NewSample[index.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var m = index[i];
            if ((uint)m >= (uint)uris.Length)
            {
                throw Malformed($"sample {i} names uri {m} of {uris.Length}");
            }
            rows[i] = new NewSample(uris[m], metricTypes[m], times[i], values[i] ?? throw Malformed($"sample {i} has no value"));
        }
        return rows;
    }

    /// <summary>
    /// The supplies of the batch's datasources (protocol 5): per datasource uri, null for absent or its names;
    /// null when the batch carries none (the stored supplies are kept).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>?>? ReadSupplies(SampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Supplies is not { } supplies)
        {
            return null;
        }
        if (supplies.Length != batch.Uris.Length)
        {
            throw Malformed($"{batch.Uris.Length} uris but {supplies.Length} supplies");
        }
        var result = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        for (var m = 0; m < supplies.Length; m++)
        {
            if (batch.Types[m] == SampleTypes.Datasource)
            {
                result[batch.Uris[m]] = supplies[m]?.Where(n => n is not null).ToArray();
            }
        }
        return result;
    }

    private static RpcErrorException Malformed(string what) => new(ErrorCodes.Refused, $"malformed samples.insert batch: {what}");
}
