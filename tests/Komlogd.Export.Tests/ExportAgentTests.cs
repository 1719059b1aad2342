using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Komlogd.Core.Control;
using Komlogd.Protocol.Control;

namespace Komlogd.Export.Tests;

/// <summary>Export blocks in the running agent: mistakes and blocks that cannot start, reload, status, TLS.</summary>
public sealed class ExportAgentTests
{
    [Fact]
    public async Task BlocksWithAMistakeOrThatCannotStartAreDisabledWithOneLineWhileTheOthersRunAndReloadAppliesChanges()
    {
        await using var agent = new ExportAgent("export-blocks");
        using var receiver = new RemoteWriteReceiver();
        using var receiver2 = new RemoteWriteReceiver();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dropped = FreePort.Next();
        agent.Configure($"""
            - export:
                prometheus_remote_write: {receiver.Url}
            - export:
                prometheus_listen: 127.0.0.1:{takenPort}
            - export:
                prometheus_remote_write: http://127.0.0.1:1/w
                batch: 0
            - export:
                prometheus_remote_write: {receiver2.Url}
                bearer_token_file: missing-token
            - export:
                prometheus_listen: 127.0.0.1:{dropped}

            """);
        var file = agent.Cli.ConfigFile;
        await agent.StartAsync();

        var expected = new Dictionary<string, string>
        {
            [$"http://127.0.0.1:{takenPort}/metrics"] = $"{file}:4: block 3 'export': cannot listen on 127.0.0.1:{takenPort}: Address already in use",
            ["block 4"] = $"{file}:8: block 4 'export': 'batch' must be a whole number from 1 to 100000 (got '0')",
            [receiver2.Url] = $"{file}:9: block 5 'export': cannot read bearer_token_file '{Path.Combine(agent.Cli.ConfigDir, "missing-token")}': Could not find file '{Path.Combine(agent.Cli.ConfigDir, "missing-token")}'.",
        };
        // Blocks come up one after another once the socket listens: wait until each has a state of its own.
        var listenTarget = $"http://127.0.0.1:{dropped}/metrics";
        await Eventually.WaitAsync(() =>
        {
            var states = agent.StatusAsync().GetAwaiter().GetResult().Exports.ToDictionary(x => x.Target, x => x.State);
            return states.GetValueOrDefault(receiver.Url) == "Running" && states.GetValueOrDefault(listenTarget) == "Running" && expected.Keys.All(states.ContainsKey);
        }, "every export block to be up or disabled");
        var exports = (await agent.StatusAsync()).Exports.ToDictionary(x => x.Target);
        Assert.Equal(("remote_write", "Running"), (exports[receiver.Url].Kind, exports[receiver.Url].State));
        Assert.Equal(("listen", "Running"), (exports[listenTarget].Kind, exports[listenTarget].State));
        foreach (var (target, line) in expected)
        {
            Assert.Equal(("Disabled", line), (exports[target].State, exports[target].LastError));
            Assert.Contains(agent.Process!.StderrLines, l => l.Contains($"Export disabled: {line}", StringComparison.Ordinal));
        }
        await agent.InsertAsync([new ControlSample("a", "datapoint", 1000, "1")]);
        await agent.WaitForExportAsync(receiver.Url, x => x.Sent == 1, "the good block to send");

        var human = await agent.Cli.RunAsync("status");
        Assert.Equal(0, human.ExitCode);
        Assert.All(new[] { "export", "lag", "dropped", "refused", receiver.Url, "Disabled", "cannot listen on" }, s => Assert.Contains(s, human.Stdout, StringComparison.Ordinal));

        // Reload: the good block changed (its cursor kept), a listen block moved, one removed, the broken one fixed.
        var listen = FreePort.Next();
        agent.Configure($"""
            - export:
                prometheus_remote_write: {receiver.Url}
                batch: 5
            - export:
                prometheus_listen: 127.0.0.1:{listen}
            - export:
                prometheus_remote_write: {receiver2.Url}

            """);
        var reload = await agent.Cli.RunAsync("reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Equal(
            [$"export http://127.0.0.1:{dropped}/metrics: removed", $"export {receiver.Url}: changed, restarted", $"export http://127.0.0.1:{listen}/metrics: added", $"export {receiver2.Url}: added"],
            reload.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.All((await agent.StatusAsync()).Exports, x => Assert.Equal("Running", x.State));
        await agent.InsertAsync([new ControlSample("a", "datapoint", 2000, "2")]);
        await agent.WaitForExportAsync(receiver.Url, x => x.Sent == 1 && x.LagSamples == 0, "the changed block to send only the new sample");
        await agent.WaitForExportAsync(receiver2.Url, x => x.Sent == 1, "the added block to send the new sample");
        Assert.Equal([1000L, 2000L], receiver.Delivered.Select(s => s.TimeMs));
        using var http = new HttpClient();
        Assert.Contains("komlogd_store_bytes ", await http.GetStringAsync($"http://127.0.0.1:{listen}/metrics"), StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{dropped}/metrics"));

        // The console: one line a block, within 80 columns.
        await using var console = await TmuxSession.StartAsync($"HOME={agent.Cli.Home} dotnet {Repo.KomlogdDll} console");
        var screen = "";
        await Eventually.WaitAsync(() => (screen = console.Capture()).Contains($"export Running lag 0 sent 1 dropped 0 {receiver.Url}", StringComparison.Ordinal), $"the console's export lines; screen:\n{screen}");
        Assert.Contains($"export Running lag 0 sent 1 dropped 0 http://127.0.0.1:{listen}/metrics", screen, StringComparison.Ordinal);
        Assert.All(screen.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 80));
    }

    [Fact]
    public async Task ADatapointFromKomlogdUMustBeANumberAndDatapointNeedsU()
    {
        await using var agent = new ExportAgent("export-cli");
        agent.Configure("");

        var bad = await agent.Cli.RunAsync(["-u", "x.y", "--datapoint"], stdin: "12 apples\n");
        var alone = await agent.Cli.RunAsync(["--datapoint"]);

        Assert.Equal((2, "datapoint value '12 apples' is not a decimal number; nothing was stored"), (bad.ExitCode, Assert.Single(bad.ErrorLines)));
        Assert.Equal((2, "--datapoint goes with -u URI: 'echo 42 | komlogd -u URI --datapoint'"), (alone.ExitCode, Assert.Single(alone.ErrorLines)));
        var good = await agent.Cli.RunAsync(["-u", "x.y", "--datapoint"], stdin: " 12.50\n");
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.EndsWith("\t12.50", (await agent.Cli.RunAsync("data", "get", "x.y")).Stdout.Trim(), StringComparison.Ordinal);
    }

    /// <summary>A test CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in <paramref name="dir"/>.</summary>
    private static X509Certificate2 MakeCertificates(string dir)
    {
        Directory.CreateDirectory(dir);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=komlogd test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
        X509Certificate2 Leaf(string name, Oid usage)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
            File.WriteAllText(Path.Combine(dir, $"{name}.pem"), cert.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, $"{name}-key.pem"), key.ExportPkcs8PrivateKeyPem());
            return cert.CopyWithPrivateKey(key);
        }
        Leaf("server", new Oid("1.3.6.1.5.5.7.3.1")).Dispose();
        return Leaf("client", new Oid("1.3.6.1.5.5.7.3.2"));
    }

    [Fact]
    public async Task OverHttpsWithCaFileAndAClientCertificateSamplesArriveAndAnUntrustedServerIsRetriedWithTheReason()
    {
        await using var agent = new ExportAgent("export-tls");
        var tls = agent["tls"];
        using var client = MakeCertificates(tls);
        using var queries = new SocketsHttpHandler();
        queries.SslOptions.ClientCertificates = [client];
        queries.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // the test's own reads; the agent's trust is what is tested
        await using var prometheus = await PrometheusServer.StartAsync(agent["prometheus"], webConfig: $"""
            tls_server_config:
              cert_file: {tls}/server.pem
              key_file: {tls}/server-key.pem
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: {tls}/ca.pem
            """, queryHandler: queries);
        var trusted = prometheus.RemoteWriteUrl;
        var untrusted = $"{prometheus.RemoteWriteUrl}?ca=system";
        var noClientCert = $"{prometheus.RemoteWriteUrl}?cert=none";
        agent.Configure($"""
            - export:
                prometheus_remote_write: {trusted}
                ca_file: {tls}/ca.pem
                cert_file: {tls}/client.pem
                key_file: {tls}/client-key.pem
            - export:
                prometheus_remote_write: {untrusted}
                cert_file: {tls}/client.pem
                key_file: {tls}/client-key.pem
            - export:
                prometheus_remote_write: {noClientCert}
                ca_file: {tls}/ca.pem

            """);
        await agent.StartAsync();
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await agent.InsertAsync([new ControlSample("tls.x", "datapoint", t, "3.25")]);

        await agent.WaitForExportAsync(trusted, x => x.Sent == 1 && x.LagSamples == 0, "delivery over https");
        var arrived = await prometheus.SamplesAsync("{uri=\"tls.x\"}", TimeSpan.FromMinutes(30));
        Assert.Equal([(t, 3.25)], arrived["tls.x"]);
        var refused = await agent.WaitForExportAsync(untrusted, x => x.State == "Backoff", "the untrusted server refused");
        Assert.Contains("certificate", refused.LastError, StringComparison.OrdinalIgnoreCase);
        var noCert = await agent.WaitForExportAsync(noClientCert, x => x.State == "Backoff", "the server refusing a client without a certificate");
        Assert.Equal(1, noCert.LagSamples);
        Assert.NotNull(noCert.LastError);
    }
}
