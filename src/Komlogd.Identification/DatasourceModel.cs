using Komlogd.Protocol.Json;
using System.Text.Json.Serialization;

namespace Komlogd.Identification;

/// <summary>
/// What one datasource knows about its texts: the values users named (with the contexts they named and
/// marked wrong) and the automatic datapoints it created. Pure: no I/O, no clock, no randomness; the same
/// state and texts give the same results. Its <see cref="State"/> is plain data the store persists.
/// </summary>
/// <remarks>
/// Not safe for concurrent use: one writer at a time per datasource (the store's commit of that
/// datasource's sample). <see cref="State"/> is immutable and may be read and shared from any thread;
/// <see cref="NumberFinder"/> is stateless.
/// </remarks>
/// <example><code>
/// var model = new DatasourceModel();
/// model.Name(firstSample, 3, "root_used");                 // the 3rd number of `komlogd identify host.df`
/// foreach (var e in model.Extract(nextSample, Supplies.All))
///     if (e.Status == ExtractionStatus.Found) Write($"host.df.{e.Name}", t, e.Value!.Value);
/// store.Save(uri, model.ToJson());
/// </code></example>
public sealed class DatasourceModel
{
    /// <summary>Default cap on automatic datapoints per datasource.</summary>
    public const int DefaultAutomaticCap = 200;

    /// <summary>Contexts kept per name and kind (named, marked wrong); the oldest goes first.</summary>
    public const int MaxExamples = 8;

    // Bounds on the stability bookkeeping, so a datasource's state stays small whatever it is sent.
    const int MaxTables = 32;
    const int MaxLabels = 256;

    /// <summary>A model that knows nothing yet.</summary>
    public DatasourceModel(int automaticCap = DefaultAutomaticCap)
        : this(new ModelState(), automaticCap)
    {
    }

    /// <summary>A model with a stored state.</summary>
    /// <exception cref="IdentificationException">The state is of another version.</exception>
    public DatasourceModel(ModelState state, int automaticCap = DefaultAutomaticCap)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(automaticCap);
        if (state.Version != ModelState.CurrentVersion)
        {
            throw new IdentificationException($"stored identification state has version {state.Version}; this komlogd reads version {ModelState.CurrentVersion}");
        }
        if (!IsComplete(state))
        {
            throw new IdentificationException("stored identification state is incomplete: a list in it is null");
        }
        State = SharedHeaders(state);
        AutomaticCap = automaticCap;
    }

    /// <summary>Everything the model knows; a new instance after every change.</summary>
    public ModelState State { get; private set; }

    /// <summary>At most this many automatic datapoints are created for the datasource.</summary>
    public int AutomaticCap { get; }

    /// <summary>The names users gave, in the order first given.</summary>
    public IReadOnlyList<string> Names => State.Names.Select(n => n.Name).ToList();

    // Automatic names read from JSON each hold their own header list; equal lists become one, so a
    // sample's extraction compares each header pair once (HeaderMemo compares by reference).
    static ModelState SharedHeaders(ModelState state)
    {
        var shared = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var names = state.Automatic.Names.Select(n =>
        {
            var key = string.Join('\n', n.Table);
            if (!shared.TryGetValue(key, out var table))
            {
                shared[key] = table = n.Table;
            }
            return ReferenceEquals(table, n.Table) ? n : n with { Table = table };
        }).ToList();
        return state with { Automatic = state.Automatic with { Names = names } };
    }

    // JSON can say null where the records hold lists; such a state would fail later, far from its cause.
    static bool IsComplete(ModelState s) =>
        s.Names is not null && s.Automatic is { Names: not null, Forgotten: not null, Tables: not null }
        && s.Names.All(n => n is { Name: not null, Positives: not null, Negatives: not null } && n.Positives.Concat(n.Negatives).All(IsComplete))
        && s.Automatic.Names.All(n => n is { Name: not null, Table: not null, Row: not null, Column: not null })
        && s.Automatic.Tables.All(t => t is { Table: not null, Labels: not null });

    static bool IsComplete(NumberContext? c) => c is { Table: not null, Row: not null, Label: not null, Unit: not null };

    /// <summary>The state as JSON, for the store.</summary>
    public string ToJson() => ModelStateWire.Write(State);

    /// <summary>A model from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="IdentificationException">The JSON is not a state, or of another version.</exception>
    public static DatasourceModel FromJson(string json, int automaticCap = DefaultAutomaticCap)
    {
        ModelState? state;
        try
        {
            state = ModelStateWire.Read(json);
        }
        catch (JsonFormatException e)
        {
            throw new IdentificationException($"stored identification state is not valid: {e.Message}", e);
        }
        return new DatasourceModel(state ?? throw new IdentificationException("stored identification state is empty"), automaticCap);
    }

    /// <summary>
    /// The user names the <paramref name="index"/>-th number (1-based, in <see cref="NumberFinder.Find"/>'s
    /// order, as <c>komlogd identify</c> lists them) of <paramref name="text"/>: its context becomes an example
    /// of <paramref name="name"/>, and a counter-example of any other name that picked that number.
    /// </summary>
    /// <returns>What the model now extracts for the name from this very text (Ambiguous: the row has a twin).</returns>
    /// <exception cref="IdentificationException">The index is out of range or the name is not one uri level.</exception>
    public Extraction Name(string text, int index, string name) => NameNumber(NumberAt(text, index), name);

    /// <summary>As <see cref="Name(string, int, string)"/>, naming the number whose characters include UTF-16 index <paramref name="position"/>.</summary>
    /// <exception cref="IdentificationException">No number is at that position, or the name is not one uri level.</exception>
    public Extraction NameAt(string text, int position, string name) => NameNumber(NumberAtPosition(text, position), name);

    /// <summary>
    /// The user says the <paramref name="index"/>-th number of <paramref name="text"/> is not
    /// <paramref name="name"/> (an extraction was wrong): its context becomes a counter-example.
    /// </summary>
    /// <returns>What the model now extracts for the name from this text.</returns>
    /// <exception cref="IdentificationException">The index is out of range, or no value has that name.</exception>
    public Extraction MarkWrong(string text, int index, string name) => MarkNumberWrong(NumberAt(text, index), name);

    /// <summary>As <see cref="MarkWrong"/>, for the number at UTF-16 index <paramref name="position"/>.</summary>
    /// <exception cref="IdentificationException">No number is at that position, or no value has that name.</exception>
    public Extraction MarkWrongAt(string text, int position, string name) => MarkNumberWrong(NumberAtPosition(text, position), name);

    /// <summary>Stops extracting a name (a user's or an automatic one; an automatic one is never created again). Samples already written stay.</summary>
    /// <returns>False when no value had that name.</returns>
    public bool Forget(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ForgetNamed(name) || ForgetAutomatic(name);
    }

    bool ForgetNamed(string name)
    {
        if (State.Names.Any(n => n.Name == name))
        {
            State = State with { Names = State.Names.Where(n => n.Name != name).ToList() };
            return true;
        }
        return false;
    }

    bool ForgetAutomatic(string name)
    {
        var auto = State.Automatic;
        if (auto.Names.Any(n => n.Name == name))
        {
            State = State with
            {
                Automatic = auto with
                {
                    Names = auto.Names.Where(n => n.Name != name).ToList(),
                    Forgotten = [.. auto.Forgotten, name],
                },
            };
            return true;
        }
        return false;
    }

    /// <summary>
    /// The extraction of a committed sample: every named value, then every automatic datapoint (those the
    /// sample creates included), each Found, Missing or Ambiguous. Learns what automatic detection needs
    /// (new datapoints, the row labels of each table): call it once per committed sample, in time order.
    /// </summary>
    public IReadOnlyList<Extraction> Extract(string text, Supplies supplies) => Run(text, supplies, learn: true);

    /// <summary>The same extraction without learning anything: for <c>--check</c>, listings and previews.</summary>
    public IReadOnlyList<Extraction> Check(string text, Supplies supplies) => Run(text, supplies, learn: false);

    IReadOnlyList<Extraction> Run(string text, Supplies supplies, bool learn)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(supplies);
        var layout = TextLayout.Of(text);
        var matcher = new Matcher(layout);
        var result = new List<Extraction>(State.Names.Count);
        foreach (var value in State.Names)
        {
            result.Add(matcher.Extract(value));
        }
        if (supplies == Supplies.None)
        {
            return result;
        }
        var tables = new List<(IReadOnlyList<string> Table, List<string> Labels)>();
        var cells = AutomaticDetector.Cells(layout, tables);
        var byCell = new Dictionary<(string, string), List<AutomaticCell>>();
        foreach (var cell in cells)
        {
            if (!byCell.TryGetValue((cell.Row, cell.Column), out var same))
            {
                byCell[(cell.Row, cell.Column)] = same = [];
            }
            same.Add(cell);
        }
        var headers = matcher.Headers;
        if (learn)
        {
            Learn(cells, byCell, tables, supplies, headers);
        }
        foreach (var auto in State.Automatic.Names)
        {
            if (supplies.Allows(auto.Name))
            {
                result.Add(ExtractAutomatic(auto, byCell, layout, headers));
            }
        }
        return result;
    }

    static Extraction ExtractAutomatic(AutomaticName auto, Dictionary<(string, string), List<AutomaticCell>> byCell, TextLayout layout, HeaderMemo headers)
    {
        var found = -1;
        foreach (var cell in byCell.GetValueOrDefault((auto.Row, auto.Column)) ?? [])
        {
            if (Reads(auto, cell, headers))
            {
                if (found >= 0)
                {
                    return Extraction.Ambiguous(auto.Name, automatic: true);
                }
                found = cell.Number;
            }
        }
        return found < 0 ? Extraction.Missing(auto.Name, automatic: true) : Extraction.Found(auto.Name, layout.Scan.Numbers[found], automatic: true);
    }

    static bool Reads(AutomaticName auto, AutomaticCell cell, HeaderMemo headers) =>
        cell.Row == auto.Row && cell.Column == auto.Column && SameTable(auto.Table, cell.Table, headers);

    /// <summary>
    /// The stability rule, then creation: a table whose rows were replaced since its previous sample (more than half
    /// of its labels new and more than half of the previous ones gone) is volatile (its rows are processes or moments, not things) and creates nothing from then on;
    /// a cell found twice in one sample creates nothing; names a user forgot, names supplies leaves out and
    /// names past the cap are not created.
    /// </summary>
    void Learn(List<AutomaticCell> cells, Dictionary<(string, string), List<AutomaticCell>> byCell, List<(IReadOnlyList<string> Table, List<string> Labels)> tables, Supplies supplies, HeaderMemo headers)
    {
        var auto = State.Automatic;
        var histories = auto.Tables.ToList();
        var volatileTables = new List<IReadOnlyList<string>>();
        // Tables alike in one sample are one table (sar's interval blocks and its Average block): their labels count together.
        var groups = new List<(IReadOnlyList<string> Table, List<string> Labels)>();
        foreach (var (table, labels) in tables)
        {
            var g = groups.FindIndex(x => headers.Alike(x.Table, table));
            if (g < 0)
            {
                groups.Add((table, [.. labels]));
            }
            else
            {
                groups[g].Labels.AddRange(labels.Where(l => !groups[g].Labels.Contains(l)));
            }
        }
        foreach (var (table, labels) in groups)
        {
            var at = histories.FindIndex(h => headers.Alike(h.Table, table));
            var previous = at >= 0 ? histories[at] : null;
            // Rows replaced by others (most labels new, most old ones gone) are processes or moments, not
            // things; rows only added (iostat ALL) or only removed are not.
            var fresh = previous is null ? 0 : labels.Count(l => !previous.Labels.Contains(l));
            var gone = previous is null ? 0 : previous.Labels.Count(l => !labels.Contains(l));
            var isVolatile = (previous?.Volatile ?? false)
                || (previous is { Labels.Count: > 0 } && labels.Count > 0 && fresh * 2 > labels.Count && gone * 2 > previous.Labels.Count);
            var history = new TableHistory(table, labels.Take(MaxLabels).ToList(), isVolatile);
            if (at >= 0)
            {
                histories[at] = history;
            }
            else if (histories.Count < MaxTables)
            {
                histories.Add(history);
            }
            if (isVolatile)
            {
                volatileTables.Add(table);
            }
        }
        var names = auto.Names.ToList();
        var namesByCell = names.GroupBy(n => (n.Row, n.Column)).ToDictionary(g => g.Key, g => g.ToList());
        var taken = new HashSet<string>(names.Select(n => n.Name).Concat(State.Names.Select(n => n.Name)), StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (names.Count >= AutomaticCap)
            {
                break;
            }
            if ((namesByCell.GetValueOrDefault((cell.Row, cell.Column))?.Any(n => Reads(n, cell, headers)) ?? false)
                || byCell[(cell.Row, cell.Column)].Count(c => SameTable(c.Table, cell.Table, headers)) > 1
                || (cell.Table.Count > 0 && volatileTables.Any(t => headers.Alike(t, cell.Table))))
            {
                continue;
            }
            var name = cell.Name;
            if (taken.Contains(name))
            {
                name = $"{name}-{UriLevel.Tag(string.Join(' ', cell.Table) + "\n" + cell.Row + "\n" + cell.Column)}";
            }
            if (taken.Contains(name) || auto.Forgotten.Contains(name) || !supplies.Allows(name))
            {
                continue;
            }
            taken.Add(name);
            var created = new AutomaticName(name, cell.Table, cell.Row, cell.Column);
            names.Add(created);
            if (!namesByCell.TryGetValue((cell.Row, cell.Column), out var same))
            {
                namesByCell[(cell.Row, cell.Column)] = same = [];
            }
            same.Add(created);
        }
        State = State with { Automatic = auto with { Names = names, Tables = histories } };
    }

    /// <summary>Both <c>key: value</c> (no header), or both tables with alike headers.</summary>
    static bool SameTable(IReadOnlyList<string> a, IReadOnlyList<string> b, HeaderMemo headers) =>
        a.Count == 0 ? b.Count == 0 : b.Count > 0 && headers.Alike(a, b);

    Extraction NameNumber((TextLayout Layout, Matcher Matcher, int Number) at, string name)
    {
        if (!UriLevel.IsValid(name))
        {
            throw new IdentificationException($"'{name}' is not a name: a name is one uri level, letters, digits, '-' and '_'");
        }
        var context = at.Matcher.Contexts[at.Number];
        var names = State.Names.ToList();
        // Naming a number says it is no other name's value: a counter-example for any name that picked it.
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Name != name && Picks(at.Matcher.Extract(names[i]), at.Layout, at.Number))
            {
                names[i] = names[i] with { Negatives = Keep([.. names[i].Negatives, context]) };
            }
        }
        var index = names.FindIndex(n => n.Name == name);
        var value = index >= 0 ? names[index] : new NamedValue(name, [], []);
        value = value with
        {
            Positives = Keep([.. value.Positives.Where(p => !p.SameAs(context)), context]),
            Negatives = value.Negatives.Where(n => !n.SameAs(context)).ToList(),
        };
        if (index >= 0)
        {
            names[index] = value;
        }
        else
        {
            names.Add(value);
        }
        State = State with { Names = names };
        // The user's name takes over the uri of an automatic datapoint of the same name, which is not created again.
        ForgetAutomatic(name);
        return at.Matcher.Extract(value);
    }

    Extraction MarkNumberWrong((TextLayout Layout, Matcher Matcher, int Number) at, string name)
    {
        var names = State.Names.ToList();
        var index = names.FindIndex(n => n.Name == name);
        if (index < 0)
        {
            throw new IdentificationException($"no value is named '{name}'");
        }
        var context = at.Matcher.Contexts[at.Number];
        var value = names[index] with
        {
            Positives = names[index].Positives.Where(p => !p.SameAs(context)).ToList(),
            Negatives = Keep([.. names[index].Negatives.Where(n => !n.SameAs(context)), context]),
        };
        names[index] = value;
        State = State with { Names = names };
        return at.Matcher.Extract(value);
    }

    static bool Picks(Extraction e, TextLayout layout, int number) =>
        e.Status == ExtractionStatus.Found && e.Position == layout.Scan.Numbers[number].Position;

    static List<NumberContext> Keep(List<NumberContext> examples) =>
        examples.Count <= MaxExamples ? examples : examples.GetRange(examples.Count - MaxExamples, MaxExamples);

    static (TextLayout, Matcher, int) NumberAt(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        var layout = TextLayout.Of(text);
        var count = layout.Scan.Numbers.Count;
        if (index < 1 || index > count)
        {
            throw new IdentificationException(count == 0
                ? $"number {index} is out of range: the sample has no numbers"
                : $"number {index} is out of range: the sample has numbers 1 to {count}");
        }
        return (layout, new Matcher(layout), index - 1);
    }

    static (TextLayout, Matcher, int) NumberAtPosition(string text, int position)
    {
        ArgumentNullException.ThrowIfNull(text);
        var layout = TextLayout.Of(text);
        var numbers = layout.Scan.Numbers;
        for (var i = 0; i < numbers.Count; i++)
        {
            if (position >= numbers[i].Position && position < numbers[i].Position + numbers[i].Length)
            {
                return (layout, new Matcher(layout), i);
            }
        }
        throw new IdentificationException($"no number is at position {position} of the sample");
    }
}

/// <summary>
/// The stored state's JSON as the serializer defines it (camelCase, nulls left out): what earlier builds
/// wrote, and the reference <see cref="ModelStateWire"/>, which the agent runs, is tested against.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelState))]
internal sealed partial class ModelStateJson : JsonSerializerContext;
