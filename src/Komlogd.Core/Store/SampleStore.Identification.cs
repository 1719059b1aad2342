using System.Buffers;
using System.Globalization;
using System.Text;
using Komlogd.Protocol.Json;
using Komlogd.Identification;

namespace Komlogd.Core.Store;

/// <summary>
/// Metric identification at commit (docs/identification.md, "How it is wired"): every text committed runs its
/// datasource's model, and the values it finds are written as datapoints <c>&lt;ds uri&gt;.&lt;name&gt;</c> at the
/// text's time, in the text's transaction, with the model's new state.
/// </summary>
public sealed partial class SampleStore
{
    /// <summary>A datasource's model as stored, and what to store back.</summary>
    private sealed class StoredModel(long metricId, string? json, IReadOnlyList<string>? supplies, DatasourceModel? model)
    {
        public long MetricId { get; } = metricId;
        public string? Json { get; } = json;
        public IReadOnlyList<string>? SuppliesList { get; set; } = supplies;
        public bool SuppliesChanged { get; set; }

        /// <summary>Null when the stored state cannot be read (another version): nothing is extracted, the state is kept.</summary>
        public DatasourceModel? Model { get; } = model;

        public Supplies Supplies => Komlogd.Identification.Supplies.From(SuppliesList is null ? null : [.. SuppliesList]);
    }

    /// <summary>
    /// Runs each changed text's model (texts in batch order, so a datasource's model learns them in time order
    /// as sent), writes what is Found and stores the models' new state. An extracted value never replaces a
    /// stored sample (ON CONFLICT DO NOTHING): a datapoint written explicitly at that uri and time (by this batch,
    /// which was inserted first, or before) wins, as kpack_linux's listed datapoints must. A name whose uri holds
    /// a text is skipped. Runs inside the batch's transaction and lock.
    /// </summary>
    /// <returns>The datapoint samples written, or null when none.</returns>
    private List<NewSample>? ExtractAtCommit(
        IReadOnlyList<NewSample> samples, long[] metricIds, long[] stored, bool[]? unchanged,
        IReadOnlyDictionary<string, IReadOnlyList<string>?>? supplies, long nextSeq)
    {
        var models = new Dictionary<long, StoredModel>();
        var found = new List<NewSample>();
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (s.Type != SampleType.Datasource)
            {
                continue;
            }
            if (!models.TryGetValue(metricIds[i], out var m))
            {
                models[metricIds[i]] = m = LoadModel(_db, metricIds[i]);
                if (supplies is not null && supplies.TryGetValue(s.Uri, out var given))
                {
                    m.SuppliesList = given;
                    m.SuppliesChanged = true;
                }
            }
            // A text identical to the stored one changes nothing: nothing new to learn or write. A datasource with
            // supplies empty and no names extracts nothing: its texts are not even read (the cost of --supplies none
            // is the insert's own).
            if (unchanged is not null && unchanged[i] || m.Model is null || m.SuppliesList is { Count: 0 } && m.Model.State.Names.Count == 0)
            {
                continue;
            }
            var local = Own.Local(s.Uri);
            foreach (var e in m.Model.Extract(s.Value, m.Supplies))
            {
                if (e.Status == ExtractionStatus.Found)
                {
                    found.Add(new NewSample($"{local}.{e.Name}", SampleType.Datapoint, stored[i], e.Value!.Value.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
        foreach (var m in models.Values)
        {
            SaveModel(_db, m);
        }
        return found.Count == 0 ? null : InsertExtracted(_db, found, nextSeq);
    }

    /// <summary>Inserts extracted datapoints where no sample is stored yet; returns those written.</summary>
    private static List<NewSample>? InsertExtracted(Database db, IReadOnlyList<NewSample> found, long nextSeq)
    {
        using var create = db.Prepare("INSERT INTO metrics(uri, type) VALUES ($uri, 2) ON CONFLICT(uri) DO NOTHING");
        using var metric = db.Prepare("SELECT id, type FROM metrics WHERE uri = $uri");
        using var insert = db.Prepare("INSERT INTO samples(seq, metric_id, t, value) VALUES ($s, $m, $t, $v) ON CONFLICT(metric_id, t) DO NOTHING");
        var written = new List<NewSample>(found.Count);
        foreach (var s in found)
        {
            create.Bind("$uri", s.Uri).Run();
            metric.Bind("$uri", s.Uri).Step();
            var (id, type) = (metric.Int64(0), (SampleType)metric.Int32(1));
            metric.Reset();
            if (type != SampleType.Datapoint)
            {
                // The name's uri holds texts: a uri has one type for life, so this name writes nothing.
                continue;
            }
            if (insert.Bind("$s", nextSeq).Bind("$m", id).Bind("$t", s.TimeMs).Bind("$v", s.Value).Run() > 0)
            {
                nextSeq++;
                written.Add(s);
            }
        }
        return written.Count == 0 ? null : written;
    }

    private static StoredModel LoadModel(Database db, long metricId)
    {
        string? json;
        string[]? supplies;
        using (var read = db.Prepare("SELECT model, supplies FROM datasource_models WHERE metric_id = $id").Bind("$id", metricId))
        {
            if (!read.Step())
            {
                return new StoredModel(metricId, null, null, new DatasourceModel());
            }
            json = read.IsNull(0) ? null : read.Text(0);
            supplies = read.IsNull(1) ? null : ParseSupplies(read.Text(1));
        }
        DatasourceModel? model;
        try
        {
            model = json is null ? new DatasourceModel() : DatasourceModel.FromJson(json);
        }
        catch (IdentificationException)
        {
            // A state this build cannot read (written by a newer one): keep it untouched, extract nothing.
            model = null;
        }
        return new StoredModel(metricId, json, supplies, model);
    }

    /// <summary>Stores the model's state and supplies when either changed.</summary>
    private static void SaveModel(Database db, StoredModel m)
    {
        var json = m.Model?.ToJson() ?? m.Json;
        if (json == m.Json && !m.SuppliesChanged)
        {
            return;
        }
        using var save = db.Prepare("""
            INSERT INTO datasource_models(metric_id, model, supplies) VALUES ($id, $model, $supplies)
            ON CONFLICT(metric_id) DO UPDATE SET model = excluded.model, supplies = excluded.supplies
            """);
        save.Bind("$id", m.MetricId).Bind("$model", json).Bind("$supplies", m.SuppliesList is null ? null : FormatSupplies(m.SuppliesList)).Run();
    }

    /// <summary>
    /// The supplies column: a JSON array of names, as System.Text.Json's serializer wrote a <c>string[]</c>
    /// (<c>SampleStoreTests</c> checks both ways). By hand over komlogd's own JSON reader and writer, which the agent
    /// loads anyway: the serializer's metadata costs a running agent about a MiB (docs/benchmarks.md).
    /// </summary>
    internal static string FormatSupplies(IReadOnlyList<string> supplies)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var json = new JsonWriter(buffer);
        json.WriteStartArray();
        foreach (var name in supplies)
        {
            json.WriteStringValue(name);
        }
        json.WriteEndArray();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="JsonFormatException">Not an array of strings (nor null).</exception>
    internal static string[] ParseSupplies(string json)
    {
        var root = JsonValue.Parse(json);
        if (root.ValueKind == JsonKind.Null)
        {
            return [];
        }
        if (root.ValueKind != JsonKind.Array)
        {
            throw new JsonFormatException($"supplies: expected an array, found {root.ValueKind}");
        }
        var names = new string[root.GetArrayLength()];
        var i = 0;
        foreach (var name in root.EnumerateArray())
        {
            names[i++] = name.ValueKind switch
            {
                JsonKind.String => name.GetString()!,
                JsonKind.Null => null!,
                _ => throw new JsonFormatException($"supplies: expected a string, found {name.ValueKind}"),
            };
        }
        return names;
    }
}
