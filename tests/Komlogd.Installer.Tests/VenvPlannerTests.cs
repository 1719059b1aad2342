using Komlogd.Core.Configuration;
using Komlogd.Core.Installation;

namespace Komlogd.Installer.Tests;

public sealed class VenvPlannerTests
{
    [Fact]
    public void SharesDefaultAndNamedVenvsAndGivesUniqueBlocksTheirOwn()
    {
        var config = ConfigLoader.Parse("/c/komlogd.yaml", """
            - username: u
            - package:
                install: A
            - package:
                install: B
                venv: default
            - package:
                install: C
                venv: unique
            - package:
                install: C
                venv: unique
            - package:
                install: D
                venv: tools
            - package:
                install: E
                venv: tools
            - package:
                install: F
                enabled: no
            """);
        var plans = VenvPlanner.Plan(config);

        Assert.Equal(["A", "B"], plans.Single(p => p.Name == "default").Blocks.Select(b => b.Install));
        Assert.Equal(["D", "E"], plans.Single(p => p.Name == "tools").Blocks.Select(b => b.Install));
        var unique = plans.Where(p => p.Name.StartsWith("unique-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, unique.Count);
        Assert.Matches("^unique-4-[0-9a-f]{8}$", unique[0].Name);
        Assert.Matches("^unique-5-[0-9a-f]{8}$", unique[1].Name);
        // Same spec, same hash; the position tells them apart.
        Assert.Equal(unique[0].Name[^8..], unique[1].Name[^8..]);
        Assert.DoesNotContain(plans, p => p.Blocks.Any(b => b.Install == "F"));
        Assert.Equal(["default", unique[0].Name, unique[1].Name, "tools"], plans.Select(p => p.Name));
    }
}
