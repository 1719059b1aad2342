namespace Komlogd.Sdk.Tests;

public sealed class CronScheduleTests
{
    [Fact]
    public void EveryFieldDefaultsToEveryValue() => Assert.Equal("* * * * *", new CronSchedule().ToCronExpression());

    [Theory]
    [InlineData("*/5", "*", "*", "*", "*", "*/5 * * * *")]
    [InlineData("30", "3", "*", "*", "*", "30 3 * * *")]
    [InlineData("0", "12", "*", "*", "1", "0 12 1 * *")]
    [InlineData("*/15", "8-18", "*", "1-5", "*", "*/15 8-18 * * 1-5")]
    [InlineData("0,15,30,45", "0-23/2", "1,6-8", "0,7", "1-31/10", "0,15,30,45 0-23/2 1-31/10 1,6-8 0,7")]
    [InlineData("59", "23", "12", "7", "31", "59 23 31 12 7")]
    [InlineData("0", "0", "1", "0", "1", "0 0 1 1 0")]
    public void TheExpressionIsMinuteHourDayOfMonthMonthDayOfWeek(
        string minute, string hour, string month, string dayOfWeek, string dayOfMonth, string expected)
    {
        var schedule = new CronSchedule(minute, hour, month, dayOfWeek, dayOfMonth);
        Assert.Equal(expected, schedule.ToCronExpression());
        Assert.Equal((minute, hour, month, dayOfWeek, dayOfMonth), (schedule.Minute, schedule.Hour, schedule.Month, schedule.DayOfWeek, schedule.DayOfMonth));
    }

    [Theory]
    [InlineData("minute", "60", "cron minute '60': 60 is outside 0-59")]
    [InlineData("minute", "-1", "cron minute '-1': '' is not a number")]
    [InlineData("minute", "", "cron minute '': empty item")]
    [InlineData("minute", "1,", "cron minute '1,': empty item")]
    [InlineData("minute", "5-1", "cron minute '5-1': range '5-1' runs backwards")]
    [InlineData("minute", "*/0", "cron minute '*/0': step '0' is not a whole number of at least 1")]
    [InlineData("minute", "*/x", "cron minute '*/x': step 'x' is not a whole number of at least 1")]
    [InlineData("minute", "5/10", "cron minute '5/10': '5/10': a step needs * or a range before it")]
    [InlineData("minute", " 5", "cron minute ' 5': ' 5' is not a number")]
    [InlineData("minute", "+5", "cron minute '+5': '+5' is not a number")]
    [InlineData("minute", "1 2", "cron minute '1 2': '1 2' is not a number")]
    [InlineData("minute", "?", "cron minute '?': '?' is not a number")]
    [InlineData("hour", "24", "cron hour '24': 24 is outside 0-23")]
    [InlineData("month", "0", "cron month '0': 0 is outside 1-12")]
    [InlineData("month", "JAN", "cron month 'JAN': 'JAN' is not a number")]
    [InlineData("dayOfWeek", "8", "cron day of week '8': 8 is outside 0-7")]
    [InlineData("dayOfWeek", "MON", "cron day of week 'MON': 'MON' is not a number")]
    [InlineData("dayOfMonth", "0", "cron day of month '0': 0 is outside 1-31")]
    [InlineData("dayOfMonth", "1-32", "cron day of month '1-32': 32 is outside 1-31")]
    [InlineData("dayOfMonth", "L", "cron day of month 'L': 'L' is not a number")]
    public void ABadFieldIsRefusedNamingTheFieldAndTheProblem(string field, string value, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => field switch
        {
            "minute" => new CronSchedule(minute: value),
            "hour" => new CronSchedule(hour: value),
            "month" => new CronSchedule(month: value),
            "dayOfWeek" => new CronSchedule(dayOfWeek: value),
            _ => new CronSchedule(dayOfMonth: value),
        });
        Assert.StartsWith(rule + "; a field is *, n, a-b, */n or a-b/n", e.Message, StringComparison.Ordinal);
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void ExecOnLoadIsOffUnlessAsked()
    {
        Assert.False(new CronSchedule().ExecOnLoad);
        Assert.True(new CronSchedule { ExecOnLoad = true }.ExecOnLoad);
        Assert.Equal("cron */5 * * * *", new CronSchedule("*/5").ToString());
    }

    [Theory]
    [InlineData("0", "1")]                 // Monday
    [InlineData("6", "0")]                 // Sunday
    [InlineData("0-4", "1,2,3,4,5")]       // Monday to Friday
    [InlineData("5,6", "0,6")]             // the weekend
    [InlineData("*/2", "0,1,3,5")]         // as the original: days divisible by 2 (Monday, Wednesday, Friday, Sunday)
    [InlineData("4-6", "0,5,6")]           // Friday to Sunday: a range across cron's wrap at Sunday
    [InlineData("*", "*")]
    public void MondayIsZeroKeepsTheOriginalsDayNumbers(string dayOfWeek, string cron)
    {
        var schedule = new CronSchedule(minute: "0", dayOfWeek: dayOfWeek) { MondayIsZero = true };

        Assert.Equal($"0 * * * {cron}", schedule.ToCronExpression());
        Assert.Equal(dayOfWeek, schedule.DayOfWeek);
        Assert.True(schedule.MondayIsZero);
    }

    [Fact]
    public void MondayIsZeroRefusesSeven()
    {
        var e = Assert.Throws<ArgumentException>(() => new CronSchedule(dayOfWeek: "5-7") { MondayIsZero = true });

        Assert.StartsWith("cron day of week (Monday = 0) '5-7': 7 is outside 0-6;", e.Message, StringComparison.Ordinal);
        Assert.Equal("dayOfWeek", e.ParamName);
    }

    [Fact]
    public void ADummyScheduleRunsOnLoad()
    {
        Assert.True(new DummySchedule().ExecOnLoad);
        Assert.Equal("once on load", new DummySchedule().ToString());
    }
}
