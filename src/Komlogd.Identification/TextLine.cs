namespace Komlogd.Identification;

/// <summary>A line of a scanned text: its tokens are <c>Tokens[FirstToken .. FirstToken + TokenCount)</c>.</summary>
internal readonly record struct TextLine(int Start, int End, int FirstToken, int TokenCount, int NumberCount);
