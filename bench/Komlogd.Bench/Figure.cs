namespace Komlogd.Bench;

/// <summary>One measured figure beside its floor (the bare cost measured in the same run), if it has one.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? FloorName = null, double? Floor = null);
