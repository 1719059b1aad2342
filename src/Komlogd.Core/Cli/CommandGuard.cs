namespace Komlogd.Core.Cli;

/// <summary>Runs a command's action; a user's mistake (<see cref="KomlogdException"/>) becomes one line on stderr and its exit code.</summary>
internal static class CommandGuard
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (KomlogdException e)
        {
            return Refuse(e);
        }
    }

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (KomlogdException e)
        {
            return Refuse(e);
        }
    }

    private static int Refuse(KomlogdException e)
    {
        Console.Error.WriteLine(e.Message);
        return e.ExitCode;
    }
}
