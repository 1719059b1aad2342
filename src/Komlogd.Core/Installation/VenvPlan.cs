using Komlogd.Core.Configuration;

namespace Komlogd.Core.Installation;

/// <summary>One venv to install: its name and the enabled package blocks it holds, in file order.</summary>
public sealed record VenvPlan(string Name, IReadOnlyList<PackageBlock> Blocks);
