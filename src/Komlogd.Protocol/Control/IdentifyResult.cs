namespace Komlogd.Protocol.Control;

/// <summary>What an <see cref="IdentifyRequest"/> did.</summary>
/// <param name="Uri">The datasource's uri, as asked.</param>
/// <param name="T">The sample looked at (unix ms); null for forget and check.</param>
/// <param name="Text">That sample's text.</param>
/// <param name="Numbers">Its numbers, after the operation (so a new name shows).</param>
/// <param name="Outcome">For name and not: what the model now extracts for the name from that sample.</param>
/// <param name="Check">For check: per name, in the model's order.</param>
/// <param name="Backfilled">For name with backfill: datapoint samples written from the stored texts.</param>
public sealed record IdentifyResult(string Uri, long? T, string? Text, IReadOnlyList<IdentifiedNumber> Numbers, IdentifyOutcome? Outcome, IReadOnlyList<NameCheck> Check, int Backfilled);

/// <summary>A number of a sample, as <c>komlogd identify URI --json</c> prints it.</summary>
/// <param name="Index">From 1, in text order.</param>
/// <param name="Position">UTF-16 index in the text.</param>
/// <param name="Length">UTF-16 code units.</param>
/// <param name="Value">The decimal value.</param>
/// <param name="Name">The name it feeds in this sample; null when none.</param>
public sealed record IdentifiedNumber(int Index, int Position, int Length, decimal Value, string? Name);

/// <summary>What the model extracts for one name from the sample looked at.</summary>
/// <param name="Name">The name.</param>
/// <param name="Status">found, missing or ambiguous.</param>
/// <param name="Value">The value when found.</param>
public sealed record IdentifyOutcome(string Name, string Status, decimal? Value);

/// <summary>One name's extractions over the stored samples.</summary>
/// <param name="Name">The name.</param>
/// <param name="Automatic">Created by automatic detection.</param>
/// <param name="Found">Samples with exactly one value.</param>
/// <param name="Missing">Samples where it was not found.</param>
/// <param name="Ambiguous">Samples where several numbers matched.</param>
public sealed record NameCheck(string Name, bool Automatic, int Found, int Missing, int Ambiguous);
