using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Komlogd.Core.Configuration;
using Komlogd.Core.Control;
using Komlogd.Core.Store;
using Komlogd.Protocol.Control;
using Komlogd.Sdk;

namespace Komlogd.Core.Cli;

/// <summary>
/// <c>komlogd identify</c>: look at a datasource's numbers and name, correct or forget them
/// (docs/identification.md). Through the running agent's control socket, or straight to the store when none runs.
/// </summary>
internal static class IdentifyCommand
{
    public static Command Create()
    {
        var uri = new Argument<string>("URI") { Description = "The datasource" };
        var rest = new Argument<string[]>("INDEX NAME") { Description = "Name number INDEX of the listing NAME (one uri level)", Arity = new ArgumentArity(0, 2) };
        var at = new Option<string?>("--at") { Description = "The sample at or before T instead of the latest (ISO-8601; UTC unless an offset is given)", HelpName = "T" };
        var json = new Option<bool>("--json") { Description = "A JSON array of {index, position, length, value, name}; with --check, of {name, automatic, found, missing, ambiguous}" };
        var position = new Option<int?>("--position") { Description = "Name the number at UTF-16 position P of the text: --position P NAME", HelpName = "P" };
        var not = new Option<int?>("--not") { Description = "Number INDEX is not NAME: --not INDEX NAME", HelpName = "INDEX" };
        var forget = new Option<string?>("--forget") { Description = "Stop extracting NAME (samples already written stay)", HelpName = "NAME" };
        var check = new Option<bool>("--check") { Description = "Re-run extraction over the stored samples; per name: found, missing, ambiguous" };
        var backfill = new Option<bool>("--backfill") { Description = "With a name: also extract it from the stored samples (no OnUpdate runs for them)" };
        var from = new Option<string?>("--from") { Description = "With --backfill: only samples at or after T", HelpName = "T" };
        var identify = new Command("identify", "Show a datasource's numbers; name one, mark one wrong, forget a name")
        {
            uri, rest, at, json, position, not, forget, check, backfill, from,
        };
        identify.SetAction((result, ct) => CommandGuard.Run(async () =>
        {
            var u = result.GetValue(uri)!;
            if (!Uris.TryValidate(u, out var error))
            {
                throw new KomlogdException(error);
            }
            var request = Request(u, result.GetValue(rest) ?? [], result.GetValue(position), result.GetValue(not), result.GetValue(forget), result.GetValue(check),
                DataCommands.ParseTime(result.GetValue(at), "--at"), result.GetValue(backfill), DataCommands.ParseTime(result.GetValue(from), "--from"));
            var configFile = KomlogdCommand.ExistingConfigFile(result);
            IdentifyResult answer;
            using (var agent = await ControlClient.TryConnectAsync(KomlogdConfig.SocketIn(Path.GetDirectoryName(configFile)!), ct).ConfigureAwait(false))
            {
                if (agent is not null)
                {
                    answer = await agent.IdentifyAsync(request, ct).ConfigureAwait(false);
                }
                else
                {
                    using var store = DataCommands.OpenStore(result);
                    answer = store.Identify(request);
                }
            }
            Console.Out.Write(Render(request, answer, result.GetValue(json)));
            return ExitCodes.Ok;
        }));
        return identify;
    }

    /// <summary>The request the arguments ask for; a combination that means nothing is one line.</summary>
    internal static IdentifyRequest Request(string uri, string[] rest, int? position, int? not, string? forget, bool check, DateTimeOffset? at, bool backfill, DateTimeOffset? from)
    {
        var atMs = at is { } a ? SampleTime.ToMs(a) : (long?)null;
        var fromMs = from is { } f ? SampleTime.ToMs(f) : (long?)null;
        var operations = (position is null ? 0 : 1) + (not is null ? 0 : 1) + (forget is null ? 0 : 1) + (check ? 1 : 0);
        if (operations > 1)
        {
            throw new KomlogdException("identify: give one of --position, --not, --forget and --check");
        }
        if ((backfill || from is not null) && (operations != (position is null ? 0 : 1) || rest.Length == 0))
        {
            throw new KomlogdException("--backfill and --from go with naming: 'komlogd identify URI INDEX NAME --backfill [--from T]'");
        }
        if (from is not null && !backfill)
        {
            throw new KomlogdException("--from goes with --backfill");
        }
        if (check || forget is not null)
        {
            if (rest.Length > 0)
            {
                throw new KomlogdException($"identify: {(check ? "--check" : "--forget NAME")} takes no INDEX or NAME");
            }
            return check
                ? new IdentifyRequest(uri, IdentifyOperations.Check)
                : new IdentifyRequest(uri, IdentifyOperations.Forget, Name: forget);
        }
        if (position is not null || not is not null)
        {
            if (rest.Length != 1)
            {
                throw new KomlogdException(position is not null ? "identify: --position P NAME names one number" : "identify: --not INDEX NAME marks one number");
            }
            return position is { } p
                ? new IdentifyRequest(uri, IdentifyOperations.Name, atMs, Position: p, Name: rest[0], Backfill: backfill, From: fromMs)
                : new IdentifyRequest(uri, IdentifyOperations.Not, atMs, Index: not, Name: rest[0]);
        }
        switch (rest.Length)
        {
            case 0:
                return new IdentifyRequest(uri, IdentifyOperations.Show, atMs);
            case 1:
                throw new KomlogdException($"identify: name a number with INDEX NAME, e.g. 'komlogd identify {uri} 3 root_used'");
            default:
                if (!int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new KomlogdException($"identify: INDEX '{rest[0]}' is not a number of the listing (1, 2, …)");
                }
                return new IdentifyRequest(uri, IdentifyOperations.Name, atMs, Index: index, Name: rest[1], Backfill: backfill, From: fromMs);
        }
    }

    internal static string Render(IdentifyRequest request, IdentifyResult r, bool json)
    {
        var o = new StringBuilder();
        switch (request.Operation)
        {
            case IdentifyOperations.Check:
                if (json)
                {
                    return JsonSerializer.Serialize(r.Check.ToArray(), IdentifyJson.Default.NameCheckArray) + "\n";
                }
                if (r.Check.Count == 0)
                {
                    return $"{r.Uri}: no names yet; name one with 'komlogd identify {r.Uri} INDEX NAME'\n";
                }
                foreach (var c in r.Check)
                {
                    o.Append(CultureInfo.InvariantCulture, $"{c.Name}{(c.Automatic ? " (automatic)" : "")}\tfound {c.Found}\tmissing {c.Missing}\tambiguous {c.Ambiguous}\n");
                }
                return o.ToString();
            case IdentifyOperations.Forget:
                return $"{r.Uri}.{request.Name}: forgotten; the samples already written stay\n";
            case IdentifyOperations.Show:
                return json ? JsonSerializer.Serialize(r.Numbers.ToArray(), IdentifyJson.Default.IdentifiedNumberArray) + "\n" : Listing(r);
        }
        var outcome = r.Outcome!;
        var what = outcome.Status == "found"
            ? $"this sample gives {outcome.Value!.Value.ToString(CultureInfo.InvariantCulture)}"
            : $"{outcome.Status} in this sample, so nothing is written for it";
        o.Append(request.Operation == IdentifyOperations.Name
            ? $"{r.Uri}.{outcome.Name}: named; {what}\n"
            : $"{r.Uri}.{outcome.Name}: marked wrong; {what}\n");
        if (request.Backfill)
        {
            o.Append(CultureInfo.InvariantCulture, $"{r.Backfilled} past samples written (no OnUpdate runs for them)\n");
        }
        return o.ToString();
    }

    /// <summary>The text with <c>[N]</c> before each number, then the numbers that feed a name.</summary>
    internal static string Listing(IdentifyResult r)
    {
        var o = new StringBuilder();
        o.Append(CultureInfo.InvariantCulture, $"{r.Uri} at {SampleTime.Format(SampleTime.FromMs(r.T!.Value))}: {r.Numbers.Count} numbers, each marked [N]\n");
        var text = r.Text!;
        var last = 0;
        foreach (var n in r.Numbers)
        {
            o.Append(text, last, n.Position - last).Append(CultureInfo.InvariantCulture, $"[{n.Index}]");
            last = n.Position;
        }
        o.Append(text, last, text.Length - last);
        if (!text.EndsWith('\n'))
        {
            o.Append('\n');
        }
        var named = r.Numbers.Where(n => n.Name is not null).ToList();
        if (named.Count > 0)
        {
            o.Append("names:\n");
            foreach (var n in named)
            {
                o.Append(CultureInfo.InvariantCulture, $"  [{n.Index}] {n.Value}\t{r.Uri}.{n.Name}\n");
            }
        }
        return o.ToString();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentifiedNumber[]))]
[JsonSerializable(typeof(NameCheck[]))]
internal sealed partial class IdentifyJson : JsonSerializerContext;
