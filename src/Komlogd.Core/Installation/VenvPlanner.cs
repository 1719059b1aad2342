using System.Security.Cryptography;
using System.Text;
using Komlogd.Core.Configuration;

namespace Komlogd.Core.Installation;

/// <summary>Maps the enabled package blocks of a configuration to venvs.</summary>
public static class VenvPlanner
{
    /// <summary>
    /// <c>default</c> is shared by the blocks naming it (or none), <c>unique</c> gives a block a venv of its
    /// own named <c>unique-&lt;block&gt;-&lt;hash&gt;</c>, any other name is shared by its blocks. Venvs come in
    /// the order of their first block.
    /// </summary>
    public static IReadOnlyList<VenvPlan> Plan(KomlogdConfig config)
    {
        var venvs = new List<(string Name, List<PackageBlock> Blocks)>();
        foreach (var block in config.Packages.Where(p => p.Enabled))
        {
            var name = VenvName(block);
            var venv = venvs.FindIndex(v => v.Name == name);
            if (venv < 0)
            {
                venvs.Add((name, [block]));
            }
            else
            {
                venvs[venv].Blocks.Add(block);
            }
        }
        return venvs.Select(v => new VenvPlan(v.Name, v.Blocks)).ToList();
    }

    /// <summary>The venv a block lands in.</summary>
    public static string VenvName(PackageBlock block) => block.Venv switch
    {
        "" or PackageBlock.DefaultVenv => PackageBlock.DefaultVenv,
        // Position and spec: the same spec in two unique blocks still gets two venvs.
        PackageBlock.UniqueVenv => $"unique-{block.Block}-{ShortHash(block.Install)}",
        var name => name,
    };

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
