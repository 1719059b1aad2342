using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Komlogd.Core.Export;

/// <summary>
/// One remote-write target over HTTP: the protocol's headers, the block's credentials and TLS settings, and
/// each answer sorted into a <see cref="SendOutcome"/>. Credentials files are read again for every request, so
/// a rotated token is picked up without a reload.
/// </summary>
internal sealed partial class RemoteWriteClient : IDisposable
{
    private static readonly string UserAgent = $"komlogd/{typeof(RemoteWriteClient).Assembly.GetName().Version?.ToString(3)}";
    private readonly ExportBlock _block;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    /// <exception cref="KomlogdException">A file the block names cannot be read or parsed (one line naming the block).</exception>
    public RemoteWriteClient(ExportBlock block, TimeProvider time)
    {
        _block = block;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = block.Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (block.CaFile is { } caFile)
        {
            var roots = Read(block, "ca_file", caFile, f =>
            {
                var certs = new X509Certificate2Collection();
                certs.ImportFromPemFile(f);
                return certs.Count > 0 ? certs : throw new InvalidDataException("no PEM certificate in it");
            });
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(roots, certificate, errors);
        }
        if (block.CertFile is { } certFile)
        {
            var pair = Read(block, "cert_file and key_file", certFile, f => X509Certificate2.CreateFromPemFile(f, block.KeyFile));
            handler.SslOptions.ClientCertificates = [pair];
        }
        // Checked now, so a missing file is one line at start rather than a retry loop; read again per request.
        _ = Authorization();
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends one body; never throws but for <paramref name="ct"/> (the agent stopping).</summary>
    public async Task<SendResult> SendAsync(byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _block.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.UserAgent.ParseAdd(UserAgent);
        try
        {
            request.Headers.Authorization = Authorization();
        }
        catch (KomlogdException e)
        {
            return new SendResult(SendOutcome.Retry, e.Message);
        }
        // On the agent's clock, so a test can run out a timeout without waiting for it.
        using var timer = new CancellationTokenSource(_block.Timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Delivered;
            }
            var status = (int)response.StatusCode;
            var text = await FirstLineAsync(response, timeout.Token).ConfigureAwait(false);
            var error = $"HTTP {status} {response.ReasonPhrase}: {text}";
            // Prometheus answers 400 for out of order, out of bounds and duplicate samples, and 500 for "too old
            // sample" (2.42, storage/remote/write_handler.go); Mimir and Cortex name them likewise. The body decides.
            if (RefusalRegex().IsMatch(text))
            {
                return new SendResult(SendOutcome.Refused, error);
            }
            return status is 429 or >= 500
                ? new SendResult(SendOutcome.Retry, error)
                : new SendResult(SendOutcome.Dropped, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Retry, $"no answer within {_block.Timeout.TotalSeconds:0.###} s (timeout)");
        }
        catch (HttpRequestException e)
        {
            return new SendResult(SendOutcome.Retry, Describe(e));
        }
    }

    [GeneratedRegex(@"out[ -]of[ -]order|too[ -]old|out[ -]of[ -]bounds|duplicate[ -]sample|duplicate[ -]timestamp", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RefusalRegex();

    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var line = body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            return line.Length > 300 ? line[..300] + "…" : line;
        }
        catch (HttpRequestException e)
        {
            return $"(body unreadable: {e.Message})";
        }
    }

    /// <summary>The innermost reason: "Connection refused (127.0.0.1:9090)", a TLS failure, a name that does not resolve.</summary>
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (!messages.Contains(x.Message))
            {
                messages.Add(x.Message);
            }
        }
        return string.Join(": ", messages);
    }

    private AuthenticationHeaderValue? Authorization()
    {
        if (_block.BearerTokenFile is { } tokenFile)
        {
            return new AuthenticationHeaderValue("Bearer", Read(_block, "bearer_token_file", tokenFile, f => NonEmpty(File.ReadAllText(f).Trim())));
        }
        if (_block.BasicAuthPasswordFile is { } passwordFile)
        {
            var password = Read(_block, "basic_auth password_file", passwordFile, f => NonEmpty(File.ReadAllText(f).TrimEnd('\r', '\n')));
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_block.BasicAuthUsername}:{password}")));
        }
        return null;
    }

    private static string NonEmpty(string text) => text.Length > 0 ? text : throw new InvalidDataException("it is empty");

    private static T Read<T>(ExportBlock block, string setting, string file, Func<string, T> read)
    {
        try
        {
            return read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new KomlogdException(block.Error($"cannot read {setting} '{file}': {e.Message}"));
        }
    }

    /// <summary>ca_file: the server's chain must end in one of these roots (and its name must match, as always).</summary>
    private static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose() => _http.Dispose();
}
