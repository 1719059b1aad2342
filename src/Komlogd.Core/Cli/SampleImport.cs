using System.Globalization;
using System.Text.Json;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd data import</c>: the inverse of <c>data get --json</c>, for restoring or moving samples.
/// Every record is checked before anything is written; then they are written in batches, so a long
/// import does not hold the store's write lock against the agent for its whole length.
/// </summary>
internal static class SampleImport
{
    public const int BatchSize = 100;

    public static List<NewSample> Parse(string text, string source)
    {
        var records = new List<(int Number, JsonElement Element)>();
        try
        {
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('['))
            {
                using var doc = JsonDocument.Parse(text);
                var n = 0;
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    records.Add((++n, e.Clone()));
                }
            }
            else
            {
                var n = 0;
                foreach (var line in text.Split('\n'))
                {
                    n++;
                    if (line.Trim().Length > 0)
                    {
                        using var doc = JsonDocument.Parse(line);
                        records.Add((n, doc.RootElement.Clone()));
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw new KomlogdException($"{source}: not JSON from 'data get --json': {e.Message}");
        }
        var samples = new List<NewSample>(records.Count);
        foreach (var (n, e) in records)
        {
            samples.Add(ToSample(e, $"{source}: record {n}"));
        }
        return samples;
    }

    private static NewSample ToSample(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new KomlogdException($"{where}: must be an object with uri, t, type and value");
        }
        var uri = Text(e, "uri", where);
        var t = Text(e, "t", where);
        if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new KomlogdException($"{where}: t '{t}' is not an ISO-8601 time");
        }
        var typeName = Text(e, "type", where);
        if (!SampleTypeNames.TryParse(typeName, out var type))
        {
            throw new KomlogdException($"{where}: type '{typeName}' must be datasource or datapoint");
        }
        var value = e.TryGetProperty("value", out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : throw new KomlogdException($"{where}: 'value' must be a string or a number");
        var sample = new NewSample(uri, type, SampleTime.ToMs(time), value);
        return SampleStore.Check(sample) is { } rule ? throw new KomlogdException($"{where}: {rule}") : sample;
    }

    private static string Text(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new KomlogdException($"{where}: '{name}' must be a string");

    /// <summary>
    /// Writes the samples in batches of <see cref="BatchSize"/>, each one transaction, through
    /// <paramref name="write"/> (a running agent, or the store); a refused batch stops the import and says
    /// how many were stored before it.
    /// </summary>
    public static async Task<int> StoreAsync(List<NewSample> samples, Func<NewSample[], Task> write)
    {
        var done = 0;
        foreach (var batch in samples.Chunk(BatchSize))
        {
            try
            {
                await write(batch).ConfigureAwait(false);
            }
            catch (KomlogdException e)
            {
                throw new KomlogdException($"{e.Message}; the {done} samples before it were stored", e.ExitCode);
            }
            done += batch.Length;
        }
        return done;
    }

    /// <inheritdoc cref="StoreAsync(List{NewSample}, Func{NewSample[], Task})"/>
    public static Task<int> StoreAsync(List<NewSample> samples, Action<NewSample[]> write) =>
        StoreAsync(samples, batch =>
        {
            write(batch);
            return Task.CompletedTask;
        });

    /// <summary>A sample as the control socket's <c>insert</c> takes it (its own time: replaced, not moved).</summary>
    public static ControlSample ToControl(NewSample s) => new(s.Uri, s.Type.Name(), s.TimeMs, s.Value);
}
