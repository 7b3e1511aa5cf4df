/* A dispatch table made with MCPCRED_ENTRY. Compiled as C and as C++ by
 * check.sh: as is it must compile without a warning; with -DWRONG_TYPE, where
 * destroy's entry names a function of another type, it must not compile. */
#include "mcpcred/provider.h"

static const mcpcred_provider_info* Info(void) { return NULL; }
static void Destroy(void* instance) { (void)instance; }

#ifdef WRONG_TYPE
#define DESTROY_FN Info
#else
#define DESTROY_FN Destroy
#endif

const mcpcred_dispatch kTable[] = {
    MCPCRED_ENTRY(prov_info, Info),
    MCPCRED_ENTRY(prov_destroy, DESTROY_FN),
    MCPCRED_DISPATCH_END,
};

int main(void) {
  const mcpcred_dispatch* info =
      mcpcred_dispatch_find(kTable, MCPCRED_PROV_INFO);
  mcpcred_dispatch made = mcpcred_make_prov_destroy(Destroy);
  /* The typed extractor gives the function back, and nothing for another id. */
  if (mcpcred_get_prov_info(info) != Info) return 1;
  if (mcpcred_get_prov_destroy(info) != NULL) return 1;
  if (made.id != MCPCRED_PROV_DESTROY) return 1;
  return mcpcred_get_prov_destroy(&made) == Destroy ? 0 : 1;
}
