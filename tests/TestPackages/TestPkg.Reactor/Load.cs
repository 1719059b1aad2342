using Komlogd.Sdk;

[assembly: KomlogdPackage(typeof(TestPkg.Reactor.Load))]

namespace TestPkg.Reactor;

/// <summary>Transfer methods reacting to other writers' samples.</summary>
public sealed class Load : IKomlogdPackage
{
    public Task LoadAsync(IKomlogdContext context, CancellationToken cancellationToken)
    {
        context.Log.Info("reactor loaded");
        return Task.CompletedTask;
    }

    /// <summary>b.y = 2 × a.x, whoever wrote a.x.</summary>
    [TransferMethod]
    [OnUpdateSchedule("a.x")]
    public static void Double(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        new Datapoint("b.y").Insert(t, 2 * (decimal)updated[0].Value);
    }

    /// <summary>A text sample (e.g. from komlogd -u) echoed, upper-cased, to c.seen.</summary>
    [TransferMethod]
    [OnUpdateSchedule("c.text")]
    public static void Echo(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        new Datasource("c.seen").Insert(t, ((string)updated[0].Value).ToUpperInvariant());
    }

    /// <summary>
    /// A datapoint that metric identification extracts from the texts of host.df (named with komlogd identify),
    /// copied to e.root_used: it reaches OnUpdate like any other sample.
    /// </summary>
    [TransferMethod]
    [OnUpdateSchedule("host.df.root_used")]
    public static void RootUsed(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        new Datapoint("e.root_used").Insert(t, (decimal)updated[0].Value);
    }

    /// <summary>host.bf.used copied to e.bf_used: a backfill (komlogd identify --backfill) must not run it for the past.</summary>
    [TransferMethod]
    [OnUpdateSchedule("host.bf.used")]
    public static void BackfillUsed(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        new Datapoint("e.bf_used").Insert(t, (decimal)updated[0].Value);
    }

    /// <summary>A text of c.df copied to c.dfcopy, a datasource that supplies one name: only it is created automatically.</summary>
    [TransferMethod]
    [OnUpdateSchedule("c.df")]
    public static void CopyWithSupplies(DateTimeOffset t, IReadOnlyList<Sample> updated)
    {
        new Datasource("c.dfcopy", supplies: ["dev_vda.Used"]).Insert(t, (string)updated[0].Value);
    }

    /// <summary>Inserts, then throws: nothing it inserted may be committed.</summary>
    [TransferMethod]
    [OnUpdateSchedule("d.boom")]
    public static void Boom(DateTimeOffset t)
    {
        new Datapoint("d.partial").Insert(t, 1);
        throw new InvalidOperationException("boom in a transfer method");
    }
}
