using System.Collections.Concurrent;
using System.Net;
using Komlogd.Core.Export.RemoteWrite;

namespace Komlogd.Export.Tests;

/// <summary>One request as the receiver saw it: headers, and the body decoded (snappy, then protobuf).</summary>
internal sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, WriteRequest Body)
{
    public IEnumerable<(string Uri, long TimeMs, double Value)> Samples =>
        Body.Timeseries.SelectMany(ts => ts.Samples.Select(s => (ts.Labels.Single(l => l.Name == "uri").Value, s.Timestamp, s.Value)));
}

/// <summary>
/// A small real remote-write back end on a free loopback port (HttpListener): decodes each request as a
/// receiver must and answers what the test says, so a test can make the answers Prometheus would only give
/// by accident (429, a 4xx, a delay). Tests of the protocol against Prometheus itself are in PrometheusExportTests.
/// </summary>
internal sealed class RemoteWriteReceiver : IDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    public RemoteWriteReceiver(Func<ReceivedRequest, (int Status, string Body)>? answer = null)
    {
        Answer = answer ?? (_ => (204, ""));
        _server = new LoopbackHttpServer(HandleAsync);
    }

    public int Port => _server.Port;
    public string Url => $"{_server.Url}/api/v1/write";

    /// <summary>What to answer each request (every request is recorded, whatever the answer).</summary>
    public Func<ReceivedRequest, (int Status, string Body)> Answer { get; set; }

    /// <summary>Holds each answer until this task completes (for timeouts); null: answer at once.</summary>
    public Task? Hold { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Samples of requests answered 2xx, in arrival order.</summary>
    public List<(string Uri, long TimeMs, double Value)> Delivered { get; } = [];

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(headers, WriteRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(body.ToArray())));
        _requests.Enqueue(request);
        if (Hold is { } hold)
        {
            await hold;
        }
        var (status, text) = Answer(request);
        if (status is >= 200 and < 300)
        {
            lock (Delivered)
            {
                Delivered.AddRange(request.Samples);
            }
        }
        context.Response.StatusCode = status;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (HttpListenerException)
        {
            // The client gave up (its timeout): nothing to answer.
        }
    }

    public void Dispose() => _server.Dispose();
}
