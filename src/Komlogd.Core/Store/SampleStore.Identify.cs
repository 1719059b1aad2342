using Komlogd.Identification;
using Komlogd.Protocol.Control;

namespace Komlogd.Core.Store;

/// <summary>
/// <c>komlogd identify</c>'s operations on a datasource's model: the same code whether the running agent's
/// control socket asks (through <see cref="SampleHub.Identify"/>) or the CLI runs it on the store itself.
/// </summary>
public sealed partial class SampleStore
{
    /// <summary>Runs one identify operation in one IMMEDIATE transaction: the model read, changed and stored at once.</summary>
    /// <exception cref="KomlogdException">A user's mistake (unknown uri, a datapoint uri, no such sample, index out of range, a bad name).</exception>
    /// <exception cref="StoreFailedException">SQLite could not write; nothing changed.</exception>
    public IdentifyResult Identify(IdentifyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            try
            {
                using var tx = _db.Begin(immediate: true);
                var result = RunIdentify(request);
                tx.Commit();
                return result;
            }
            catch (IdentificationException e)
            {
                throw new KomlogdException(e.Message);
            }
            catch (SqliteException e)
            {
                throw new StoreFailedException($"{File}: cannot write to the store: {e.Message.TrimEnd('.')}; the identification was not changed", e);
            }
        }
    }

    private IdentifyResult RunIdentify(IdentifyRequest r)
    {
        var metricId = DatasourceId(r.Uri);
        var m = LoadModel(_db, metricId);
        var model = m.Model ?? DatasourceModel.FromJson(m.Json!); // throws the version's one line
        switch (r.Operation)
        {
            case IdentifyOperations.Check:
                return new IdentifyResult(r.Uri, null, null, [], null, CheckAll(metricId, model, m.Supplies), 0);
            case IdentifyOperations.Forget:
                var name = r.Name ?? throw new KomlogdException("--forget needs a NAME");
                if (!model.Forget(name))
                {
                    throw new KomlogdException($"{r.Uri} has no name '{name}'; 'komlogd identify {r.Uri} --check' lists its names");
                }
                SaveModel(_db, m);
                return new IdentifyResult(r.Uri, null, null, [], null, [], 0);
        }
        var (t, text) = SampleAt(metricId, r);
        Extraction? outcome = null;
        var backfilled = 0;
        switch (r.Operation)
        {
            case IdentifyOperations.Show:
                break;
            case IdentifyOperations.Name:
                var name = r.Name ?? throw new KomlogdException("naming needs a NAME");
                outcome = AtNumber(model.NameAt, model.Name, name, "naming needs INDEX NAME or --position P NAME");
                SaveModel(_db, m);
                if (r.Backfill)
                {
                    backfilled = Backfill(metricId, r.Uri, model, m.Supplies, name, r.From);
                }
                break;
            case IdentifyOperations.Not:
                var wrong = r.Name ?? throw new KomlogdException("--not needs INDEX NAME");
                outcome = AtNumber(model.MarkWrongAt, model.MarkWrong, wrong, "--not needs INDEX NAME");
                SaveModel(_db, m);
                break;
            default:
                throw new KomlogdException($"identify: unknown operation '{r.Operation}'");
        }
        return new IdentifyResult(r.Uri, t, text, Numbered(model, m.Supplies, text),
            outcome is null ? null : new IdentifyOutcome(outcome.Name, Status(outcome.Status), outcome.Value), [], backfilled);

        // The number the request points at: by its character position (--position) or by its index.
        Extraction AtNumber(Func<string, int, string, Extraction> byPosition, Func<string, int, string, Extraction> byIndex, string name, string usage) =>
            r.Position is { } p ? byPosition(text, p, name)
            : r.Index is { } i ? byIndex(text, i, name)
            : throw new KomlogdException(usage);
    }

    private static string Status(ExtractionStatus s) => s switch
    {
        ExtractionStatus.Found => "found",
        ExtractionStatus.Missing => "missing",
        _ => "ambiguous",
    };

    /// <summary>Every number of the text, indexed from 1, with the name it feeds (learning nothing).</summary>
    private static List<IdentifiedNumber> Numbered(DatasourceModel model, Supplies supplies, string text)
    {
        var names = new Dictionary<int, string>();
        foreach (var e in model.Check(text, supplies))
        {
            if (e.Status == ExtractionStatus.Found)
            {
                names.TryAdd(e.Position, e.Name);
            }
        }
        return NumberFinder.Find(text)
            .Select((n, i) => new IdentifiedNumber(i + 1, n.Position, n.Length, n.Value, names.GetValueOrDefault(n.Position)))
            .ToList();
    }

    /// <summary>The metric id of a datasource; a user's mistake otherwise.</summary>
    private long DatasourceId(string uri)
    {
        using var read = _db.Prepare("SELECT id, type FROM metrics WHERE uri = $uri").Bind("$uri", Own.Local(uri));
        if (!read.Step())
        {
            throw new KomlogdException($"uri '{uri}' is not in the store; 'komlogd data ls' lists the uris");
        }
        if ((SampleType)read.Int32(1) != SampleType.Datasource)
        {
            throw new KomlogdException($"uri '{uri}' holds datapoints; identify reads the texts of a datasource");
        }
        return read.Int64(0);
    }

    /// <summary>The newest sample at or before the asked time (the latest when none is asked).</summary>
    private (long T, string Text) SampleAt(long metricId, IdentifyRequest r)
    {
        using var read = _db.Prepare("SELECT t, value FROM samples WHERE metric_id = $id AND t <= $at ORDER BY t DESC LIMIT 1")
            .Bind("$id", metricId).Bind("$at", r.At ?? long.MaxValue);
        return read.Step()
            ? (read.Int64(0), read.Text(1))
            : throw new KomlogdException(r.At is { } at
                ? $"uri '{r.Uri}' has no sample at or before {SampleTime.Format(SampleTime.FromMs(at))}"
                : $"uri '{r.Uri}' has no sample");
    }

    /// <summary>The texts of a datasource, oldest first, from a time on.</summary>
    private List<(long T, string Text)> Texts(long metricId, long? from)
    {
        using var read = _db.Prepare("SELECT t, value FROM samples WHERE metric_id = $id AND t >= $from ORDER BY t")
            .Bind("$id", metricId).Bind("$from", from ?? long.MinValue);
        var texts = new List<(long, string)>();
        while (read.Step())
        {
            texts.Add((read.Int64(0), read.Text(1)));
        }
        return texts;
    }

    /// <summary>
    /// Extracts one name from the stored texts (learning nothing) and writes what is found where no sample is
    /// stored. Nobody is notified: these are the past, and OnUpdate is for what happens now.
    /// </summary>
    private int Backfill(long metricId, string uri, DatasourceModel model, Supplies supplies, string name, long? from)
    {
        var local = Own.Local(uri);
        var found = new List<NewSample>();
        foreach (var (t, text) in Texts(metricId, from))
        {
            if (model.Check(text, supplies).FirstOrDefault(e => e.Name == name) is { Status: ExtractionStatus.Found } e)
            {
                found.Add(new NewSample($"{local}.{name}", SampleType.Datapoint, t, e.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return found.Count == 0 ? 0 : InsertExtracted(_db, found, NextSeq())?.Count ?? 0;
    }

    /// <summary>Per name, what extraction gives over every stored text (learning nothing).</summary>
    private List<NameCheck> CheckAll(long metricId, DatasourceModel model, Supplies supplies)
    {
        var counts = new Dictionary<string, (bool Automatic, int Found, int Missing, int Ambiguous)>();
        var order = new List<string>();
        foreach (var (_, text) in Texts(metricId, null))
        {
            foreach (var e in model.Check(text, supplies))
            {
                if (!counts.TryGetValue(e.Name, out var c))
                {
                    order.Add(e.Name);
                    c = (e.Automatic, 0, 0, 0);
                }
                counts[e.Name] = e.Status switch
                {
                    ExtractionStatus.Found => c with { Found = c.Found + 1 },
                    ExtractionStatus.Missing => c with { Missing = c.Missing + 1 },
                    _ => c with { Ambiguous = c.Ambiguous + 1 },
                };
            }
        }
        return order.Select(n => new NameCheck(n, counts[n].Automatic, counts[n].Found, counts[n].Missing, counts[n].Ambiguous)).ToList();
    }
}
