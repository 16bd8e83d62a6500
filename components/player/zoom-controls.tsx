import { ControlButton } from './control-button';
import { Icon } from './icon';
import { MAX_FONT_SIZE, MIN_FONT_SIZE } from './use-fit';

/** Fit-to-width, or a chosen font size. */
export function ZoomControls({
  fit,
  fontSize,
  onFit,
  onZoom,
}: {
  fit: boolean;
  /** The size in use now (fitted or chosen). */
  fontSize: number;
  onFit: () => void;
  onZoom: (fontSize: number) => void;
}) {
  return (
    <div className="flex items-center gap-0.5" role="group" aria-label="Zoom">
      <ControlButton
        label="Zoom out"
        onClick={() => onZoom(fontSize - 1)}
        disabled={fontSize <= MIN_FONT_SIZE}
      >
        <Icon name="zoom-out" />
      </ControlButton>
      <ControlButton label="Fit to width" onClick={onFit} pressed={fit}>
        <Icon name="fit" />
      </ControlButton>
      <ControlButton
        label="Zoom in"
        onClick={() => onZoom(fontSize + 1)}
        disabled={fontSize >= MAX_FONT_SIZE}
      >
        <Icon name="zoom-in" />
      </ControlButton>
    </div>
  );
}
