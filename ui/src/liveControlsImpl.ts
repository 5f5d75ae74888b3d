// The chunk behind liveControls.ts: the heavy Element Plus controls and their CSS, loaded
// once the register's first page is on screen. Nothing else imports this module.
import "element-plus/es/components/select/style/css";
import "element-plus/es/components/option/style/css";
import "element-plus/es/components/select-v2/style/css";
import "element-plus/es/components/pagination/style/css";
import "element-plus/es/components/autocomplete/style/css";
import "element-plus/es/components/dropdown/style/css";
import "element-plus/es/components/dropdown-menu/style/css";
import "element-plus/es/components/dropdown-item/style/css";

export {
  ElAutocomplete,
  ElDropdown,
  ElDropdownItem,
  ElDropdownMenu,
  ElOption,
  ElPagination,
  ElSelect,
  ElSelectV2,
} from "element-plus/es";
