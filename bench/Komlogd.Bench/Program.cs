using System.Globalization;
using Komlogd.Bench;

// bench/run [--quick] [NAME...]: run the named benchmarks (all when none), print one Markdown table each.
Benchmarks.Quick = args.Contains("--quick");
args = args.Where(a => a != "--quick").ToArray();
if (args is ["--list" or "-l"])
{
    foreach (var b in Benchmarks.All)
    {
        Console.WriteLine($"{b.Name}\t{b.Description}");
    }
    return 0;
}
var unknown = args.Where(a => Benchmarks.All.All(b => b.Name != a)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"bench: unknown benchmark(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Benchmarks.All.Select(b => b.Name))}");
    return 2;
}
// --quick alone: the two that fit in about two minutes; name others to add them.
string[] quickSet = ["host", "store"];
var chosen = args.Length > 0 ? Benchmarks.All.Where(b => args.Contains(b.Name)).ToList()
    : Benchmarks.Quick ? Benchmarks.All.Where(b => quickSet.Contains(b.Name)).ToList()
    : Benchmarks.All.Where(b => b.Name != "agents").ToList(); // peer runs it too
var all = new Dictionary<string, IReadOnlyList<Figure>>();
foreach (var bench in chosen)
{
    Console.WriteLine($"## {bench.Name}: {bench.Description}");
    Console.WriteLine();
    var figures = await bench.RunAsync(CancellationToken.None);
    all[bench.Name] = figures;
    Console.WriteLine("| figure | value | floor | ratio |");
    Console.WriteLine("| --- | ---: | --- | ---: |");
    foreach (var f in figures)
    {
        var floor = f.Floor is { } v ? $"{f.FloorName}: {Format(v, f.Unit)}" : "—";
        var ratio = f.Floor is { } fl and > 0 ? (f.Value / fl).ToString("G3", CultureInfo.InvariantCulture) + "×" : "—";
        // A '|' inside a cell would end it: escape it (the -u figure's name has one).
        Console.WriteLine($"| {f.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {Format(f.Value, f.Unit)} | {floor.Replace("|", "\\|", StringComparison.Ordinal)} | {ratio} |");
    }
    Console.WriteLine();
}
// Results also as JSON, for comparing runs: bench/results/<UTC time>.json.
var results = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results");
Directory.CreateDirectory(results);
var file = Path.GetFullPath(Path.Combine(results, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}{(Benchmarks.Quick ? "-quick" : "")}.json"));
await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(new
{
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
    quick = Benchmarks.Quick,
    benchmarks = all,
}, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"results: {file}");
return 0;

static string Format(double value, string unit) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " " + unit;
