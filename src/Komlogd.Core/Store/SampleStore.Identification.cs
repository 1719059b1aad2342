using System.Globalization;
using System.Text.Json;
using Komlogd.Identification;
using Microsoft.Data.Sqlite;

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
    private static List<NewSample>? InsertExtracted(SqliteConnection db, IReadOnlyList<NewSample> found, long nextSeq)
    {
        using var metric = db.CreateCommand();
        metric.CommandText = """
            INSERT INTO metrics(uri, type) VALUES ($uri, 2) ON CONFLICT(uri) DO NOTHING;
            SELECT id, type FROM metrics WHERE uri = $uri;
            """;
        var mUri = metric.Parameters.Add("$uri", SqliteType.Text);
        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO samples(seq, metric_id, t, value) VALUES ($s, $m, $t, $v) ON CONFLICT(metric_id, t) DO NOTHING";
        var pS = insert.Parameters.Add("$s", SqliteType.Integer);
        var pM = insert.Parameters.Add("$m", SqliteType.Integer);
        var pT = insert.Parameters.Add("$t", SqliteType.Integer);
        var pV = insert.Parameters.Add("$v", SqliteType.Text);
        var written = new List<NewSample>(found.Count);
        foreach (var s in found)
        {
            mUri.Value = s.Uri;
            long id;
            using (var reader = metric.ExecuteReader())
            {
                reader.Read();
                if ((SampleType)reader.GetInt32(1) != SampleType.Datapoint)
                {
                    // The name's uri holds texts: a uri has one type for life, so this name writes nothing.
                    continue;
                }
                id = reader.GetInt64(0);
            }
            pS.Value = nextSeq;
            pM.Value = id;
            pT.Value = s.TimeMs;
            pV.Value = s.Value;
            if (insert.ExecuteNonQuery() > 0)
            {
                nextSeq++;
                written.Add(s);
            }
        }
        return written.Count == 0 ? null : written;
    }

    private static StoredModel LoadModel(SqliteConnection db, long metricId)
    {
        using var read = db.CreateCommand();
        read.CommandText = "SELECT model, supplies FROM datasource_models WHERE metric_id = $id";
        read.Parameters.AddWithValue("$id", metricId);
        using var reader = read.ExecuteReader();
        if (!reader.Read())
        {
            return new StoredModel(metricId, null, null, new DatasourceModel());
        }
        var json = reader.IsDBNull(0) ? null : reader.GetString(0);
        var supplies = reader.IsDBNull(1) ? null : ParseSupplies(reader.GetString(1));
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
    private static void SaveModel(SqliteConnection db, StoredModel m)
    {
        var json = m.Model?.ToJson() ?? m.Json;
        if (json == m.Json && !m.SuppliesChanged)
        {
            return;
        }
        using var save = db.CreateCommand();
        save.CommandText = """
            INSERT INTO datasource_models(metric_id, model, supplies) VALUES ($id, $model, $supplies)
            ON CONFLICT(metric_id) DO UPDATE SET model = excluded.model, supplies = excluded.supplies
            """;
        save.Parameters.AddWithValue("$id", m.MetricId);
        save.Parameters.AddWithValue("$model", (object?)json ?? DBNull.Value);
        save.Parameters.AddWithValue("$supplies", m.SuppliesList is null ? DBNull.Value : FormatSupplies(m.SuppliesList));
        save.ExecuteNonQuery();
    }

    internal static string FormatSupplies(IReadOnlyList<string> supplies) =>
        JsonSerializer.Serialize(supplies.ToArray(), IdentificationJson.Default.StringArray);

    private static string[] ParseSupplies(string json) =>
        JsonSerializer.Deserialize(json, IdentificationJson.Default.StringArray) ?? [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class IdentificationJson : System.Text.Json.Serialization.JsonSerializerContext;
