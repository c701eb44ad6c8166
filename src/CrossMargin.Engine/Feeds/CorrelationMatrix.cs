namespace CrossMargin.Engine.Feeds;

/// <summary>
/// A validated correlation matrix and its Cholesky factor L (C = L·Lᵀ), used to correlate the Gaussian shocks of
/// <see cref="CorrelatedGbmSource"/>. Immutable.
/// </summary>
public sealed class CorrelationMatrix
{
    /// <summary>Tolerance for symmetry and for the unit diagonal.</summary>
    public const double Tolerance = 1e-9;

    private readonly double[][] _lower;

    /// <summary>Validates <paramref name="rows"/> and factorises it.</summary>
    /// <exception cref="InvalidCorrelationMatrixException">The matrix is not a valid correlation matrix; the message names the entry.</exception>
    public CorrelationMatrix(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Size = rows.Count;
        Validate(rows);
        _lower = Factor(rows);
    }

    /// <summary>Number of rows (instruments).</summary>
    public int Size { get; }

    /// <summary>The identity: independent instruments.</summary>
    public static CorrelationMatrix Identity(int size)
    {
        var rows = new double[size][];
        for (int i = 0; i < size; i++)
        {
            rows[i] = new double[size];
            rows[i][i] = 1.0;
        }

        return new CorrelationMatrix(rows);
    }

    /// <summary>Entry (i, j) of the Cholesky factor L (zero above the diagonal).</summary>
    public double Cholesky(int row, int column) => column <= row ? _lower[row][column] : 0.0;

    /// <summary>Writes L·z into <paramref name="output"/>: independent standard normals in, correlated out.</summary>
    public void Correlate(ReadOnlySpan<double> independent, Span<double> output)
    {
        for (int i = 0; i < Size; i++)
        {
            double sum = 0.0;
            double[] row = _lower[i];
            for (int j = 0; j <= i; j++)
            {
                sum += row[j] * independent[j];
            }

            output[i] = sum;
        }
    }

    private void Validate(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        if (Size == 0)
        {
            throw new InvalidCorrelationMatrixException("Correlation matrix is empty.");
        }

        for (int i = 0; i < Size; i++)
        {
            if (rows[i] is null || rows[i].Count != Size)
            {
                throw new InvalidCorrelationMatrixException(
                    $"Correlation matrix row {i} has {rows[i]?.Count ?? 0} entries; expected {Size} (square).", i);
            }
        }

        for (int i = 0; i < Size; i++)
        {
            if (Math.Abs(rows[i][i] - 1.0) > Tolerance)
            {
                throw new InvalidCorrelationMatrixException($"Correlation matrix diagonal [{i},{i}] is {rows[i][i]}; expected 1.", i, i);
            }

            for (int j = 0; j < Size; j++)
            {
                double value = rows[i][j];
                if (double.IsNaN(value) || value < -1.0 || value > 1.0)
                {
                    throw new InvalidCorrelationMatrixException($"Correlation [{i},{j}] is {value}; expected a value in [-1, 1].", i, j);
                }

                if (Math.Abs(value - rows[j][i]) > Tolerance)
                {
                    throw new InvalidCorrelationMatrixException(
                        $"Correlation matrix is not symmetric: [{i},{j}] = {value} but [{j},{i}] = {rows[j][i]}.", i, j);
                }
            }
        }
    }

    private double[][] Factor(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        var lower = new double[Size][];
        for (int i = 0; i < Size; i++)
        {
            lower[i] = new double[i + 1];
            for (int j = 0; j <= i; j++)
            {
                double sum = rows[i][j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[i][k] * lower[j][k];
                }

                if (i == j)
                {
                    if (sum <= Tolerance)
                    {
                        throw new InvalidCorrelationMatrixException(
                            $"Correlation matrix is not positive definite (Cholesky pivot {i} is {sum}); check that the correlations are mutually consistent.", i, i);
                    }

                    lower[i][i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }

        return lower;
    }
}
