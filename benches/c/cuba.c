/* The CUBA benchmark (Vogels & Abbott 2005, as Brian2's example) as a bare C loop, for comparing
 * engram's spiking engine with hand-written code on the same machine in the same run
 * (benches/compare_c.sh). 4,000 LIF neurons (3,200 E, 800 I), p = 0.02, τ_m 20 ms, τ_e 5 ms,
 * τ_i 10 ms, E_l −49 mV, V_t −50 mV, V_r −60 mV, refractory 5 ms, w_e 1.62 mV, w_i −9 mV,
 * dt 0.1 ms; exact exponential integration in f32, synapses in dense compressed rows, spikes
 * added to the currents of the next step.
 * Usage: cuba [seconds] — prints the wall time of the loop per biological second and the rate. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state = 0x853c49e6748fea9bULL;
static double uniform(void) { /* xorshift64*: enough for wiring and initial potentials */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv) {
    const int n = 4000, n_e = 3200;
    const double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    const float dt = 0.1f, tau_m = 20.0f, tau_e = 5.0f, tau_i = 10.0f;
    const float el = -49.0f, vt = -50.0f, vr = -60.0f, we = 1.62f, wi = -9.0f;
    const int refractory_steps = 50;
    const double p = 0.02;
    /* Wiring: geometric skipping over the n × n grid, rows by presynaptic neuron. */
    int *row = calloc(n + 1, sizeof(int));
    int capacity = (int)(n * n * p * 1.2), count = 0;
    int *targets = malloc(capacity * sizeof(int));
    for (int pre = 0; pre < n; pre++) {
        row[pre] = count;
        for (int post = -1;;) {
            post += 1 + (int)floor(log(1.0 - uniform()) / log(1.0 - p));
            if (post >= n) break;
            if (post == pre) continue;
            if (count == capacity) { capacity *= 2; targets = realloc(targets, capacity * sizeof(int)); }
            targets[count++] = post;
        }
    }
    row[n] = count;
    float *v = malloc(n * sizeof(float)), *ge = calloc(n, sizeof(float)), *gi = calloc(n, sizeof(float));
    int *refractory = calloc(n, sizeof(int)), *spikes = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) v[i] = vr + (vt - vr) * (float)uniform();
    const float decay_m = expf(-dt / tau_m), decay_e = expf(-dt / tau_e), decay_i = expf(-dt / tau_i);
    const float from_e = tau_e / (tau_e - tau_m) * (decay_e - decay_m);
    const float from_i = tau_i / (tau_i - tau_m) * (decay_i - decay_m);
    const long steps = (long)(seconds * 1000.0 / dt);
    long total_spikes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long step = 0; step < steps; step++) {
        for (int i = 0; i < n; i++) {
            float integrated = el + (v[i] - el) * decay_m + ge[i] * from_e + gi[i] * from_i;
            v[i] = refractory[i] > 0 ? v[i] : integrated;
            refractory[i] = refractory[i] > 0 ? refractory[i] - 1 : 0;
            ge[i] *= decay_e;
            gi[i] *= decay_i;
        }
        int fired = 0;
        for (int i = 0; i < n; i++)
            if (v[i] >= vt) { v[i] = vr; refractory[i] = refractory_steps; spikes[fired++] = i; }
        for (int s = 0; s < fired; s++) {
            int pre = spikes[s];
            float *g = pre < n_e ? ge : gi;
            float w = pre < n_e ? we : wi;
            for (int k = row[pre]; k < row[pre + 1]; k++) g[targets[k]] += w;
        }
        total_spikes += fired;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    printf("{\"wall_s_per_bio_s\": %.6f, \"rate_hz\": %.3f, \"synapses\": %d}\n", wall / seconds,
           total_spikes / (double)n / seconds, count);
    return 0;
}
