/* A stand-in for Windows' bcryptprimitives.dll, for running shiryo.exe
 * under Wine versions that lack it (Debian's Wine 8). Rust's standard
 * library asks it for random bytes (ProcessPrng); this fills them from
 * RtlGenRandom (advapi32's SystemFunction036), which Wine has. Windows 10
 * and later ship the real DLL: this file is for the Wine test only and is
 * never part of the distributed zip. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
