namespace Komlogd.Core.Installation;

/// <summary>What a venv was asked to hold: one package block's position and install spec.</summary>
public sealed record AskedBlock(int Block, string Install);
