namespace Komlogd.Identification.Corpus;

/// <summary>The texts of the 128 KiB bound, built alike for the tests and the bench.</summary>
public static class BoundTexts
{
    /// <summary>20,000 numbers 0..19999 in 2,000 lines of ten columns, under 128 KiB.</summary>
    public static string Plain()
    {
        var b = new System.Text.StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            b.Append(i).Append(i % 10 == 9 ? '\n' : ' ');
        }
        return b.ToString();
    }

    /// <summary>A table of 20,000 numbers under 128 KiB: a header, then 2,000 rows labelled r0..r1999 of ten columns.</summary>
    public static string Table()
    {
        var b = new System.Text.StringBuilder("row a b c d e f g h i j\n");
        for (var i = 0; i < 20_000; i++)
        {
            if (i % 10 == 0)
            {
                b.Append('r').Append(i / 10);
            }
            b.Append(' ').Append(i);
            if (i % 10 == 9)
            {
                b.Append('\n');
            }
        }
        return b.ToString();
    }
}
