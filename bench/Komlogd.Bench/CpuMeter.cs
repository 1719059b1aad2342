using System.Globalization;

namespace Komlogd.Bench;

/// <summary>
/// CPU time (user + system) of one process and all its threads, those that ended included, to the
/// nanosecond where the machine allows: the process is moved into a cgroup of its own for the measurement
/// (v1 <c>cpuacct.usage</c>, or v2 <c>cpu.stat</c>'s <c>usage_usec</c>). <c>/proc/PID/stat</c> counts in
/// 10 ms ticks, so a 6 ms scrape reads 0 or 10 ms and three one-minute collections of 30 ms are ±10 ms
/// each; it is the fallback only (not root, no cgroup filesystem), and <see cref="Source"/> says which.
/// </summary>
internal sealed class CpuMeter : IDisposable
{
    private readonly string? _group;
    private readonly Func<string, double>? _readMs;
    private readonly string? _root;

    private CpuMeter(int pid, string? root, string? group, Func<string, double>? readMs, string source)
    {
        Pid = pid;
        _root = root;
        _group = group;
        _readMs = readMs;
        Source = source;
    }

    public int Pid { get; }

    /// <summary>cgroup (ns) or /proc ticks (10 ms).</summary>
    public string Source { get; }

    /// <summary>Starts measuring <paramref name="pid"/>; <see cref="Ms"/> only counts from now on with a cgroup.</summary>
    public static CpuMeter For(int pid, string name)
    {
        (string Root, string File, Func<string, double> Read)[] kinds =
        [
            ("/sys/fs/cgroup/cpuacct", "cpuacct.usage", text => long.Parse(text.Trim(), CultureInfo.InvariantCulture) / 1e6),
            ("/sys/fs/cgroup", "cpu.stat", text => long.Parse(text.Split('\n')[0].Split(' ')[1], CultureInfo.InvariantCulture) / 1e3),
        ];
        foreach (var (root, file, read) in kinds)
        {
            if (!File.Exists(Path.Combine(root, file)) && !File.Exists(Path.Combine(root, "cgroup.controllers")))
            {
                continue;
            }
            var group = Path.Combine(root, $"komlogd-bench-{name}-{pid}");
            try
            {
                Directory.CreateDirectory(group);
                File.WriteAllText(Path.Combine(group, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                var meter = new CpuMeter(pid, root, group, g => read(File.ReadAllText(Path.Combine(g, file))), "cgroup, ns");
                _ = meter.Ms;
                return meter;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                TryRemove(root, group, pid);
            }
        }
        return new CpuMeter(pid, null, null, null, "/proc ticks, 10 ms");
    }

    /// <summary>CPU time so far, ms.</summary>
    /// <exception cref="InvalidOperationException">The process is gone (fallback only: a cgroup keeps the count).</exception>
    public double Ms => _group is not null && _readMs is not null
        ? _readMs(_group)
        : File.Exists($"/proc/{Pid}/stat") ? Measure.CpuMs(Pid) : throw new InvalidOperationException($"pid {Pid} is gone");

    public void Dispose()
    {
        if (_group is not null)
        {
            TryRemove(_root!, _group, Pid);
        }
    }

    private static void TryRemove(string root, string group, int pid)
    {
        try
        {
            if (File.Exists($"/proc/{pid}/stat"))
            {
                File.WriteAllText(Path.Combine(root, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }
            Directory.Delete(group);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A group left behind holds nothing once its process has ended; the next run uses new names.
        }
    }
}
