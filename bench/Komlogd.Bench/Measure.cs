using System.Diagnostics;
using CliWrap;
using Komlogd.TestKit;

namespace Komlogd.Bench;

/// <summary>Small measuring helpers shared by the benchmarks.</summary>
internal static class Measure
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The floor of every start: a console app that prints and exits, built once per run.</summary>
    public static async Task<string> BuildHelloAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "hello.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), "System.Console.WriteLine(\"hello\"); if (args is [\"sleep\"]) System.Threading.Thread.Sleep(-1); if (args is [\"wait\"]) System.Console.In.ReadLine();");
        await Cli.Wrap("dotnet").WithArguments(["build", dir, "-c", "Release", "-o", Path.Combine(dir, "out"), "--nologo", "-v", "quiet"]).ExecuteAsync();
        return Path.Combine(dir, "out", "hello.dll");
    }

    /// <summary>Spawn to exit of <c>dotnet hello.dll</c>, median of <paramref name="runs"/>, in ms.</summary>
    public static double HelloStartMs(string helloDll, int runs = 10)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var p = Process.Start(new ProcessStartInfo("dotnet", [helloDll]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }

    /// <summary>An agent in <c>dir[home]</c> with one venv of TestPkg.Basic, returned once that venv is Running.</summary>
    public static async Task<(KomlogdCli Cli, AgentProcess Agent)> StartBasicAgentAsync(TempDir dir, string home)
    {
        var cli = new KomlogdCli(dir[home]);
        var package = dir[$"{home}/TestPkg.Basic"];
        TestVenv.CopyDir(Path.Combine(Repo.Root, "tests", "TestPackages", "TestPkg.Basic"), package);
        cli.WriteConfig($"- username: bench\n- package:\n    install: {package}\n");
        var agent = AgentProcess.Start(cli.Home);
        try
        {
            await UntilAsync(() => cli.RunAsync("status", "--json").GetAwaiter().GetResult().Stdout.Contains("\"Running\"", StringComparison.Ordinal), TimeSpan.FromMinutes(5));
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
        return (cli, agent);
    }

    /// <summary>Resident set size of a process, KiB (VmRSS).</summary>
    public static double RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    /// <summary>Proportional set size of a process, KiB (<c>Pss</c> of /proc/PID/smaps_rollup): shared pages divided among their users.</summary>
    public static double PssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    /// <summary>CPU time (user + system) of a process itself, ms.</summary>
    public static double CpuMs(int pid) => CpuWithChildrenMs(pid).Own;

    /// <summary>A hello that has printed its line and waits until its stdin closes: a .NET process doing nothing.</summary>
    public static Process IdleHello(string helloDll)
    {
        var p = Process.Start(new ProcessStartInfo("dotnet", [helloDll, "wait"]) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false })!;
        p.StandardOutput.ReadLine();
        return p;
    }

    /// <summary>RSS of an idle hello (measured alive), KiB.</summary>
    public static double HelloRssKiB(string helloDll)
    {
        using var p = IdleHello(helloDll);
        var rss = RssKiB(p.Id);
        p.StandardInput.Close();
        p.WaitForExit();
        return rss;
    }

    /// <summary>CPU time of a process and of its waited-for children (sar, ssh), ms.</summary>
    public static (double Own, double Children) CpuWithChildrenMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int i) => long.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture) * 10.0;
        return (Ticks(11) + Ticks(12), Ticks(13) + Ticks(14));
    }

    /// <summary>Polls until the condition holds; a benchmark that never gets there fails loudly.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, int pollMs = 1)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("benchmark condition not reached");
            }
            await Task.Delay(pollMs);
        }
    }
}
