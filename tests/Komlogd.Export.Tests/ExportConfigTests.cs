using Komlogd.Core.Configuration;
using Komlogd.Core.Export;

namespace Komlogd.Export.Tests;

/// <summary>Every mistake in an export block: one line naming the file, line, block and rule; that block only is disabled.</summary>
public sealed class ExportConfigTests
{
    private const string File = "/home/alice/.komlogd/komlogd.yaml";
    private const string Good = "- export:\n    prometheus_listen: 127.0.0.1:9999\n";

    public static TheoryData<string, string> Mistakes => new()
    {
        { "- export: http://x/api/v1/write\n", "2: block 2 'export': 'export' must be a map with one target (prometheus_remote_write: URL or prometheus_listen: HOST:PORT) and its settings" },
        { "- export:\n    batch: 5\n", "2: block 2 'export': an export block needs a target: 'prometheus_remote_write: URL' or 'prometheus_listen: HOST:PORT'" },
        { "- export:\n    prometheus_remote_write: http://p:9090/api/v1/write\n    prometheus_listen: 127.0.0.1:1\n", "4: block 2 'export': an export block has one target; this one has prometheus_remote_write and prometheus_listen (write two blocks)" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    batches: 5\n", "4: block 2 'export': unknown export setting 'batches'; expected one of prometheus_remote_write, prometheus_listen, include, exclude, labels, instance, batch, timeout, from, bearer_token_file, basic_auth, ca_file, cert_file, key_file" },
        { "- export:\n    prometheus_remote_write: ftp://p/w\n", "3: block 2 'export': prometheus_remote_write 'ftp://p/w' must be an http:// or https:// URL, e.g. https://prom.example:9090/api/v1/write" },
        { "- export:\n    prometheus_remote_write: [a, b]\n", "3: block 2 'export': 'prometheus_remote_write' must be a non-empty text value, not a list" },
        { "- export:\n    prometheus_listen: 9465\n", "3: block 2 'export': prometheus_listen '9465' must be HOST:PORT, HOST an IP address (IPv6 in brackets), localhost or *, PORT 1 to 65535, e.g. 127.0.0.1:9465" },
        { "- export:\n    prometheus_listen: 127.0.0.1:70000\n", "3: block 2 'export': prometheus_listen '127.0.0.1:70000' must be HOST:PORT, HOST an IP address (IPv6 in brackets), localhost or *, PORT 1 to 65535, e.g. 127.0.0.1:9465" },
        { "- export:\n    prometheus_listen: ::1:9465\n", "3: block 2 'export': prometheus_listen '::1:9465' must be HOST:PORT, HOST an IP address (IPv6 in brackets), localhost or *, PORT 1 to 65535, e.g. 127.0.0.1:9465" },
        { "- export:\n    prometheus_listen: 127.0.0.2:9465\n    batch: 5\n", "4: block 2 'export': 'batch' applies to prometheus_remote_write only; a prometheus_listen block serves /metrics and Prometheus sets job and instance when it scrapes" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    batch: 0\n", "4: block 2 'export': 'batch' must be a whole number from 1 to 100000 (got '0')" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    timeout: 10 seconds\n", "4: block 2 'export': 'timeout' must be a duration from 1ms to 10m such as 500ms, 10s or 1m (got '10 seconds')" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    timeout: 11m\n", "4: block 2 'export': 'timeout' must be a duration from 1ms to 10m such as 500ms, 10s or 1m (got '11m')" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    from: yesterday\n", "4: block 2 'export': 'from' must be now (the default: samples committed from now on) or oldest (the whole store), not 'yesterday'" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    labels: prod\n", "4: block 2 'export': 'labels' must be a map of label names to values, e.g. {env: prod}" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    labels: {bad-name: x}\n", "4: block 2 'export': label name 'bad-name' must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    labels: {__x: x}\n", "4: block 2 'export': label name '__x' must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    labels: {job: x}\n", "4: block 2 'export': label 'job' is set by komlogd (job, instance, uri); choose another name, or set 'instance:' for instance" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    labels: {env: ''}\n", "4: block 2 'export': 'env' must be a non-empty text value, not empty" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    include: [host/*]\n", "4: block 2 'export': include: glob 'host/*' may hold only letters, digits, '-', '_', ':', '.' and '*' ('*' within one level, '**' across levels)" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    exclude: {a: b}\n", "4: block 2 'export': 'exclude' must be a non-empty text value, not a map" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    instance:\n", "4: block 2 'export': 'instance' must be a non-empty text value, not empty" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    bearer_token_file: t\n    basic_auth: {username: u, password_file: p}\n", "5: block 2 'export': use bearer_token_file or basic_auth, not both" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    basic_auth: {username: u}\n", "4: block 2 'export': 'basic_auth' needs username and password_file" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    basic_auth: {username: u, password: secret}\n", "4: block 2 'export': unknown basic_auth setting 'password'; expected username and password_file (the password is read from a file, never written in komlogd.yaml)" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    basic_auth: u\n", "4: block 2 'export': 'basic_auth' must be a map: {username: NAME, password_file: FILE}" },
        { "- export:\n    prometheus_remote_write: https://p/w\n    cert_file: c.pem\n", "4: block 2 'export': cert_file and key_file go together (the client certificate and its private key, PEM)" },
        { "- export:\n    prometheus_remote_write: http://p/w\n    ca_file: ca.pem\n", "4: block 2 'export': ca_file, cert_file and key_file need an https:// target, not http://p/w" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void AMistakeGetsOneLineAndDisablesThatBlockOnly(string block, string expected)
    {
        var config = ConfigLoader.Parse(File, "- username: a\n" + block + Good);

        Assert.Equal($"{File}:{expected}", Assert.Single(config.ExportErrors).ToString());
        Assert.Equal("http://127.0.0.1:9999/metrics", Assert.Single(config.Exports).Target);
    }

    [Fact]
    public void TwoBlocksWithOneTargetDisableTheSecond()
    {
        var config = ConfigLoader.Parse(File, "- export:\n    prometheus_remote_write: http://p/w\n- export:\n    prometheus_remote_write: http://p/w\n    batch: 5\n");

        Assert.Equal($"{File}:3: block 2 'export': block 1 already exports to http://p/w; one block per target", Assert.Single(config.ExportErrors).ToString());
        Assert.Equal(ExportBlock.DefaultBatch, Assert.Single(config.Exports).Batch);
    }

    [Fact]
    public void AFullBlockResolvesFilesAgainstTheConfigDirAndSortsLabels()
    {
        var config = ConfigLoader.Parse(File, """
            - export:
                prometheus_remote_write: https://prom.example:9090/api/v1/write
                bearer_token_file: token
                include: [host.*, pkg.kpack_linux.**]
                exclude: host.secret
                labels: {zone: b, env: prod}
                instance: web-1
                batch: 500
                timeout: 1500ms
                from: oldest
                ca_file: /etc/ssl/ca.pem
                cert_file: tls/c.pem
                key_file: tls/k.pem
            - export:
                prometheus_listen: '[::1]:9465'
            """);

        Assert.Empty(config.ExportErrors);
        var push = config.Exports[0];
        Assert.Equal((ExportKind.RemoteWrite, "https://prom.example:9090/api/v1/write"), (push.Kind, push.Target));
        Assert.Equal("/home/alice/.komlogd/token", push.BearerTokenFile);
        Assert.Equal(["host.*", "pkg.kpack_linux.**"], push.Include);
        Assert.Equal(["host.secret"], push.Exclude);
        Assert.Equal([new("env", "prod"), new KeyValuePair<string, string>("zone", "b")], push.Labels);
        Assert.Equal(("web-1", 500, TimeSpan.FromMilliseconds(1500), true), (push.Instance, push.Batch, push.Timeout, push.FromOldest));
        Assert.Equal(("/etc/ssl/ca.pem", "/home/alice/.komlogd/tls/c.pem", "/home/alice/.komlogd/tls/k.pem"), (push.CaFile, push.CertFile, push.KeyFile));
        var listen = config.Exports[1];
        Assert.Equal((ExportKind.Listen, "[::1]", 9465, "http://[::1]:9465/metrics"), (listen.Kind, listen.ListenHost, listen.ListenPort, listen.Target));
    }

    [Fact]
    public void DefaultsAreAHostNameInstanceBatchesOf2000A30SecondTimeoutAndSamplesFromNow()
    {
        var block = Assert.Single(ConfigLoader.Parse(File, "- export:\n    prometheus_remote_write: http://p/w\n").Exports);

        Assert.Equal((Environment.MachineName, 2000, TimeSpan.FromSeconds(30), false), (block.Instance, block.Batch, block.Timeout, block.FromOldest));
        Assert.Empty(block.Include);
        Assert.Empty(block.Labels);
    }
}
