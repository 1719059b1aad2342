using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Komlogd.TestKit;

/// <summary>
/// The real Prometheus server (Debian's package, /usr/bin/prometheus; .ci/run installs it), started by a test
/// on a free loopback port with the remote-write receiver on and a storage dir of its own. Stopped with
/// SIGTERM by <see cref="StopAsync"/> and killed by dispose if still running, so no test leaves one behind.
/// </summary>
public sealed partial class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly string _dir;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly HttpClient _http;
    private readonly string _scheme;
    private Process? _process;

    private PrometheusServer(string dir, int port, HttpMessageHandler? queryHandler, bool tls)
    {
        _dir = dir;
        Port = port;
        // The caller's handler outlives a server that failed to bind (StartAsync tries another port with it).
        _http = new HttpClient(queryHandler ?? new HttpClientHandler(), disposeHandler: queryHandler is null) { Timeout = TimeSpan.FromSeconds(30) };
        _scheme = tls ? "https" : "http";
    }

    public int Port { get; private set; }
    public string Url => $"{_scheme}://127.0.0.1:{Port}";
    public string RemoteWriteUrl => $"{Url}/api/v1/write";
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's pid while it runs (the export benchmark reads its CPU time).</summary>
    public int? Pid => IsRunning ? _process!.Id : null;

    /// <summary>Writes prometheus.yml into <paramref name="dir"/> and starts the server; ready when this returns.</summary>
    /// <param name="scrape">Targets (host:port) to scrape every second as job "komlogd-metrics".</param>
    /// <param name="outOfOrderWindow">storage.tsdb.out_of_order_time_window; none by default (Prometheus' default).</param>
    /// <param name="webConfig">A --web.config.file (TLS, basic auth), if any; with tls_server_config the server speaks https.</param>
    /// <param name="queryHandler">For the test's own queries (a client certificate, the test CA).</param>
    public static async Task<PrometheusServer> StartAsync(string dir, IReadOnlyList<string>? scrape = null, TimeSpan? outOfOrderWindow = null, string? webConfig = null, HttpMessageHandler? queryHandler = null)
    {
        Directory.CreateDirectory(dir);
        var config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1m\n";
        if (scrape is { Count: > 0 })
        {
            config += $"scrape_configs:\n  - job_name: komlogd-metrics\n    scrape_interval: 1s\n    static_configs:\n      - targets: [{string.Join(", ", scrape.Select(t => $"'{t}'"))}]\n";
        }
        if (outOfOrderWindow is { } window)
        {
            config += $"storage:\n  tsdb:\n    out_of_order_time_window: {(int)window.TotalSeconds}s\n";
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), config).ConfigureAwait(false);
        if (webConfig is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "web.yml"), webConfig).ConfigureAwait(false);
        }
        // A port found free may be taken before Prometheus binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var server = new PrometheusServer(dir, FreePort.Next(), queryHandler, webConfig?.Contains("tls_server_config", StringComparison.Ordinal) == true);
            try
            {
                await server.StartAgainAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5 && server._log.Any(l => l.Contains("address already in use", StringComparison.Ordinal)))
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and storage.</summary>
    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var arg in (string[])[
            $"--config.file={Path.Combine(_dir, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(_dir, "data")}",
            $"--web.listen-address=127.0.0.1:{Port}",
            "--web.enable-remote-write-receiver",
            "--log.level=info"])
        {
            psi.ArgumentList.Add(arg);
        }
        if (File.Exists(Path.Combine(_dir, "web.yml")))
        {
            psi.ArgumentList.Add($"--web.config.file={Path.Combine(_dir, "web.yml")}");
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Binary}");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        // Ready: the TSDB is open (after a restart, its WAL replayed). The log says so; over TLS /-/ready needs a client certificate.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var started = _log.Count(l => l.Contains("Server is ready to receive web requests", StringComparison.Ordinal));
        while (_log.Count(l => l.Contains("Server is ready to receive web requests", StringComparison.Ordinal)) <= started)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"prometheus did not become ready: {Describe()}");
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM (Prometheus flushes its WAL and exits), then SIGKILL if it has not exited in 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        Kill(process.Id, 15);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An instant query through the HTTP API; the <c>data.result</c> array.</summary>
    public async Task<JsonElement> QueryAsync(string promql, DateTimeOffset? at = null)
    {
        var url = $"{Url}/api/v1/query?query={Uri.EscapeDataString(promql)}";
        if (at is { } t)
        {
            url += $"&time={(t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)}";
        }
        var body = await _http.GetFromJsonAsync<JsonElement>(url).ConfigureAwait(false);
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query {promql} failed: {body}");
        }
        return body.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>
    /// Every stored sample of the series matching <paramref name="selector"/> over the last
    /// <paramref name="range"/> (a range-vector query: raw samples, not a computed range), by uri label.
    /// </summary>
    public async Task<Dictionary<string, List<(long TimeMs, double Value)>>> SamplesAsync(string selector, TimeSpan range)
    {
        var result = await QueryAsync($"{selector}[{(int)range.TotalSeconds}s]", DateTimeOffset.UtcNow.AddMinutes(1)).ConfigureAwait(false);
        var series = new Dictionary<string, List<(long, double)>>(StringComparer.Ordinal);
        foreach (var s in result.EnumerateArray())
        {
            var uri = s.GetProperty("metric").TryGetProperty("uri", out var u) ? u.GetString()! : s.GetProperty("metric").ToString();
            series[uri] = s.GetProperty("values").EnumerateArray()
                .Select(v => ((long)Math.Round(v[0].GetDouble() * 1000), double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)))
                .ToList();
        }
        return series;
    }

    /// <summary>The server's own log, for a failing assertion's message.</summary>
    public string Describe() => $"prometheus on port {Port} ({_dir}):\n{string.Join('\n', _log.TakeLast(40))}";

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process?.Dispose();
        _http.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
