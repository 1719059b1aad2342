namespace Kpack.Linux.Publishing;

/// <summary>One datasource's text and the names (relative to it) of the datapoints it supplies.</summary>
internal sealed record PublishedText(string Uri, string Text, IReadOnlyList<string> Supplies);
