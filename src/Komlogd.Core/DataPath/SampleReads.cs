using Komlogd.Core.Store;
using Komlogd.Protocol;
using Komlogd.Protocol.Channel;
using Komlogd.Sdk;

namespace Komlogd.Core.DataPath;

/// <summary>
/// A <see cref="GetRequest"/> answered from the hub: the host channel's <c>samples.get</c> and the control
/// socket's <c>get</c> read the same way and refuse the same mistakes.
/// </summary>
public static class SampleReads
{
    /// <summary>Samples of the request's uri, newest first, of its type when it names one.</summary>
    /// <exception cref="RpcErrorException">
    /// Code <see cref="ErrorCodes.Refused"/>: a bad uri, an unknown type, a count below 1 or a start after the
    /// end; the message names the value and the rule.
    /// </exception>
    public static WireSample[] Read(SampleHub hub, GetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Problem(request) is { } problem)
        {
            throw new RpcErrorException(ErrorCodes.Refused, problem);
        }
        return hub.Get(request.Uri,
                request.Start is { } s ? SampleTime.FromMs(s) : null,
                request.End is { } e ? SampleTime.FromMs(e) : null,
                request.Count)
            .Where(x => request.Type is null || x.Type.Name() == request.Type)
            .Select(ToWire).ToArray();
    }

    public static WireSample ToWire(StoredSample s) => new(s.Uri, SampleTime.ToMs(s.T), s.Type.Name(), s.Value);

    private static string? Problem(GetRequest request)
    {
        if (!Uris.TryValidate(request.Uri, out var error))
        {
            return error;
        }
        if (request.Type is { } type && !SampleTypeNames.TryParse(type, out _))
        {
            return $"type '{type}' must be datasource or datapoint (or null for either)";
        }
        if (request.Count is < 1)
        {
            return $"count must be at least 1 (or null for no limit); got {request.Count}";
        }
        return request.Start > request.End
            ? $"start {SampleTime.Format(SampleTime.FromMs(request.Start.Value))} is after end {SampleTime.Format(SampleTime.FromMs(request.End!.Value))}"
            : null;
    }
}
